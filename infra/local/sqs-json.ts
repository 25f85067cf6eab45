/**
 * JSON for a message body on the local SQS emulator. SQS takes any character from U+10000 up;
 * fauxqs refuses them (it checks UTF-16 code units), so an event holding 𠮷 or 😀, which HR's
 * contract allows in a name, could not be delivered locally (seen: every such PutEvents entry
 * failed with InternalFailure). Writing those characters as JSON surrogate escapes gives the same
 * JSON value in plain BMP text: consumers parse exactly what AWS would hand them.
 */
export const sqsJson = (value: unknown): string =>
  JSON.stringify(value).replace(/[\u{10000}-\u{10FFFF}]/gu, (c) => {
    const offset = c.codePointAt(0)! - 0x10000;
    const high = (0xd800 + (offset >> 10)).toString(16);
    const low = (0xdc00 + (offset & 0x3ff)).toString(16);
    return `\\u${high}\\u${low}`;
  });
