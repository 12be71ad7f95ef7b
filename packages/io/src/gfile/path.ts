/** Path helpers that work for local paths and for scheme URLs (mem://a/b, https://host/x). */

/** Splits 'mem://a/b' into ['mem://', 'a/b']; local paths give ['', path]. */
export function splitScheme(path: string): [string, string] {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(path);
  if (!m || (m[1]!.length === 1 && /^[a-zA-Z]$/.test(m[1]!))) return ['', path];
  return [m[0], path.slice(m[0].length)];
}

export function schemeOf(path: string): string {
  return splitScheme(path)[0].replace('://', '').toLowerCase();
}

export function join(...parts: string[]): string {
  let out = '';
  for (const p of parts) {
    if (p === '') continue;
    if (out === '' || splitScheme(p)[0] !== '' || p.startsWith('/')) out = p;
    else out = out.endsWith('/') ? out + p : `${out}/${p}`;
  }
  return out;
}

export function dirname(path: string): string {
  const [scheme, rest] = splitScheme(path);
  const trimmed = rest.length > 1 ? rest.replace(/\/+$/, '') : rest;
  const i = trimmed.lastIndexOf('/');
  if (i < 0) return scheme === '' ? '.' : scheme;
  if (i === 0) return scheme + '/';
  return scheme + trimmed.slice(0, i);
}

export function basename(path: string): string {
  const rest = splitScheme(path)[1].replace(/\/+$/, '');
  return rest.slice(rest.lastIndexOf('/') + 1);
}

export function isAbsolute(path: string): boolean {
  return splitScheme(path)[0] !== '' || path.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(path);
}

/** Normalises the part after the scheme: collapses '//' and '.', resolves '..'. */
export function normalizeKey(rest: string): string {
  const out: string[] = [];
  for (const seg of rest.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.join('/');
}
