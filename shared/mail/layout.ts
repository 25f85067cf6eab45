/**
 * The shape every Gonghui mail shares: Chinese first, English alongside, as HTML and as text.
 * Templates give paragraphs; this module escapes and lays them out.
 */
export interface MailContent {
  subject: { zh: string; en: string };
  greeting: { zh: string; en: string };
  paragraphs: Array<{ zh: string; en: string }>;
  /** Key facts shown as a table (label in both languages, value verbatim). */
  facts?: Array<{ zh: string; en: string; value: string }>;
  closing: { zh: string; en: string };
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export const renderMail = (content: MailContent): RenderedMail => {
  const subject = `${content.subject.zh} | ${content.subject.en}`;
  const facts = content.facts ?? [];

  const textPart = (lang: 'zh' | 'en') =>
    [
      content.greeting[lang],
      '',
      ...content.paragraphs.map((p) => p[lang]),
      ...(facts.length ? ['', ...facts.map((f) => `${f[lang]}: ${f.value}`)] : []),
      '',
      content.closing[lang],
    ].join('\n');
  const text = `${textPart('zh')}\n\n----------------------------------------\n\n${textPart('en')}\n`;

  const htmlPart = (lang: 'zh' | 'en') => {
    const rows = facts
      .map((f) => `<tr><th align="left">${escapeHtml(f[lang])}</th><td>${escapeHtml(f.value)}</td></tr>`)
      .join('');
    return [
      `<section lang="${lang === 'zh' ? 'zh-CN' : 'en'}">`,
      `<p>${escapeHtml(content.greeting[lang])}</p>`,
      ...content.paragraphs.map((p) => `<p>${escapeHtml(p[lang])}</p>`),
      rows ? `<table cellpadding="4">${rows}</table>` : '',
      `<p>${escapeHtml(content.closing[lang])}</p>`,
      '</section>',
    ].join('\n');
  };
  const html = [
    '<!doctype html>',
    '<html lang="zh-CN"><head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head><body>`,
    htmlPart('zh'),
    '<hr>',
    htmlPart('en'),
    '</body></html>',
  ].join('\n');

  return { subject, html, text };
};
