// Small pure helpers of the two-factor pages (tested in tests/auth-mfa.test.ts).

/** A code as typed: spaces dropped. Six digits from the app, or a recovery code. */
export function cleanCode(raw: string): string {
  return raw.replace(/\s+/g, '');
}

/** Whether the input can be sent: six digits, or (where recovery codes are accepted) 10 letters/digits. */
export function isCode(raw: string, recovery = false): boolean {
  const c = cleanCode(raw);
  if (/^\d{6}$/.test(c)) return true;
  return recovery && /^[a-z2-7]{5}-?[a-z2-7]{5}$/i.test(c);
}

/** A base32 secret in groups of four, easier to type by hand. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/** The recovery codes as a text file's content, one per line. */
export function recoveryFile(codes: readonly string[], account: string): string {
  return [`Thân Thiện — ${account}`, ...codes, ''].join('\n');
}
