/**
 * Glob patterns for include/exclude, matched against paths relative to the root with `/`.
 * Supports `**` (any number of directories), `*` and `?` (within one segment), `{a,b}` and `[abc]`.
 */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  let i = 0;
  let braceDepth = 0;
  const p = pattern.replace(/^\.\//, '');
  while (i < p.length) {
    const c = p[i];
    if (c === '*') {
      if (p[i + 1] === '*') {
        const atSegmentStart = i === 0 || p[i - 1] === '/';
        const atSegmentEnd = i + 2 === p.length || p[i + 2] === '/';
        if (atSegmentStart && atSegmentEnd) {
          // `**/` matches zero or more whole directories; a trailing `**` matches everything below.
          re += i + 2 === p.length ? '.*' : '(?:[^/]*/)*';
          i += 3;
          continue;
        }
      }
      re += '[^/]*';
      i += p[i + 1] === '*' ? 2 : 1;
    } else if (c === '?') {
      re += '[^/]';
      i++;
    } else if (c === '{') {
      braceDepth++;
      re += '(?:';
      i++;
    } else if (c === '}' && braceDepth > 0) {
      braceDepth--;
      re += ')';
      i++;
    } else if (c === ',' && braceDepth > 0) {
      re += '|';
      i++;
    } else if (c === '[') {
      const end = p.indexOf(']', i + 1);
      if (end === -1) {
        re += '\\[';
        i++;
      } else {
        const body = p
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end + 1;
      }
    } else {
      re += c.replace(/[.+^$()|\\\]]/g, '\\$&');
      i++;
    }
  }
  return new RegExp(`^${re}$`);
}

export function compileGlobs(patterns: string[]): (relPath: string) => boolean {
  const regexps = patterns.map(globToRegExp);
  return (relPath) => regexps.some((r) => r.test(relPath));
}

/**
 * The fixed directory prefix of a pattern (before any wildcard), so discovery need not walk the whole tree.
 */
export function globBase(pattern: string): string {
  const segments = pattern.replace(/^\.\//, '').split('/');
  const fixed: string[] = [];
  for (const s of segments.slice(0, -1)) {
    if (/[*?{[]/.test(s)) break;
    fixed.push(s);
  }
  return fixed.join('/');
}
