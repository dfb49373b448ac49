/**
 * Text a citizen's card or a clerk types into a name or address is shown on screens and printed on forms
 * signed by the unit. Control characters break layouts and logs; bidi overrides (U+202E …) make a printed
 * name read differently from what is stored; zero-width characters make two names look equal and compare
 * different. No Vietnamese name or address needs any of them (issue 17, finding 10), so they are refused,
 * not silently removed: the clerk rescans or retypes and sees exactly what will be printed.
 */
// Matching control characters is this pattern's purpose.
// eslint-disable-next-line no-control-regex
const unsafeCharacter = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;

/** The first character not allowed in a name or address, as `U+202E`, or undefined when there is none. */
export function firstUnsafeCharacter(text: string): string | undefined {
  const found = unsafeCharacter.exec(text);
  return found ? `U+${found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

export function isPlainText(text: string): boolean {
  return firstUnsafeCharacter(text) === undefined;
}
