import type { IncidentDetail, IncidentSummary } from '../../store/incident-repository.js';

// Incidents as the API shows them: snake_case fields, times in epoch ms (like /api/v1/alerts).

/** An incident as the API lists it: snake_case fields, times in epoch ms. */
export function summaryView(incident: IncidentSummary) {
  return {
    id: incident.id,
    title: incident.title,
    status: incident.status,
    impact: incident.impact,
    severity: incident.severity,
    origin: incident.origin,
    detection_source: incident.detectionSource,
    detected_at: incident.detectedAt,
    first_report_at: incident.firstReportAt,
    lead_time_ms: incident.leadTimeMs,
    commander: incident.commander,
    communications: incident.communications,
    held: incident.held,
    published: incident.publishedAt !== null,
    published_at: incident.publishedAt,
    recovered_at: incident.recoveredAt,
    monitoring_at: incident.monitoringAt,
    resolved_at: incident.resolvedAt,
    postmortem_at: incident.postmortemAt,
    next_update_due_at: incident.nextUpdateDueAt,
    update_reminders: incident.updateReminders,
    version: incident.version,
    created_at: incident.createdAt,
    updated_at: incident.updatedAt,
    components: incident.components.map((c) => ({
      id: c.componentId,
      ref: c.ref,
      name: c.name,
      community: c.community,
      status: c.status,
    })),
  };
}

/** One incident as the API shows it: the summary plus updates (newest first), timeline, alerts and reports. */
export function incidentView(incident: IncidentDetail) {
  return {
    ...summaryView(incident),
    updates: incident.updates.map((u) => ({
      id: u.id,
      kind: u.kind,
      status: u.status,
      state: u.state,
      body: u.body,
      author: u.author,
      affected_components: u.affected.map((a) => ({
        id: a.componentId,
        name: a.name,
        old_status: a.oldStatus,
        new_status: a.newStatus,
      })),
      created_at: u.createdAt,
      published_at: u.publishedAt,
    })),
    timeline: incident.timeline.map((e) => ({
      at: e.at,
      kind: e.kind,
      actor: e.actor,
      summary: e.summary,
      source: e.source,
      alert_id: e.alertId,
      data: e.data,
    })),
    alert_ids: incident.alertIds,
    report_ids: incident.reportIds,
  };
}
