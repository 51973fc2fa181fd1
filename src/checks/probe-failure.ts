/** A probe that ended without a response to assess; the message is the outcome's reason, shown as is. */
export class ProbeFailure extends Error {}
