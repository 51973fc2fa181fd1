// `$${` first, so an escaped opener is never read as a placeholder; a `${` without `}` runs to the end.
const TOKEN = /\$\$\{|\$\{([^}]*)(\})?/g;

/**
 * Fills every `${name}` in template with its value from vars, inserted verbatim (no URL or JSON escaping);
 * `$${` stands for a literal `${`. Throws an Error saying where and what to fix for an unknown variable (the
 * known ones are listed), an empty name or a `${` that is never closed.
 */
export function interpolate(template: string, vars: ReadonlyMap<string, string>): string {
  return template.replace(
    TOKEN,
    (token: string, name: string | undefined, close: string | undefined, position: number) => {
      if (token === '$${') return '${';
      if (close === undefined) {
        throw new Error(
          `"\${" at position ${position} is not closed: end the variable name with "}" or write "$\${" for a literal "\${"`,
        );
      }
      if (name === undefined || name === '') {
        throw new Error(
          `empty variable name "\${}" at position ${position}: put a variable name between the braces`,
        );
      }
      const value = vars.get(name);
      if (value === undefined) {
        throw new Error(`unknown variable "${name}" at position ${position}; ${describeKnown(vars)}`);
      }
      return value;
    },
  );
}

function describeKnown(vars: ReadonlyMap<string, string>): string {
  if (vars.size === 0) return 'no variables are defined yet';
  return `known variables: ${[...vars.keys()].join(', ')}`;
}
