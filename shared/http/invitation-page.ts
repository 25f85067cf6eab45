/**
 * The page an invitation links to when the union has no portal of its own (locally, always):
 * it changes nothing when opened (mail scanners open links), and asks the person to confirm; the
 * button posts the token from the page's own address to POST /invitations/{id}/accept. The
 * token is never echoed into the HTML, and the one inline script is allowed by its hash alone.
 */
import { createHash } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

const SCRIPT = `
const q = new URLSearchParams(location.search);
const out = document.getElementById('out');
document.getElementById('join').addEventListener('click', async (e) => {
  e.target.disabled = true;
  out.textContent = '…';
  try {
    const res = await fetch('/invitations/' + encodeURIComponent(q.get('member') || '') + '/accept', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: q.get('token') || '' }),
    });
    const body = await res.json();
    out.textContent = res.ok
      ? '欢迎加入工会！会员号 ' + body.membershipNumber + ' / Welcome! Membership number ' + body.membershipNumber
      : body.message;
  } catch {
    out.textContent = '网络错误，请稍后重试 / Network error; please try again';
  }
  e.target.disabled = false;
});`;

const HTML = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>加入工会 / Join the union</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;line-height:1.6}button{font-size:1.1rem;padding:.5rem 1.5rem}</style>
</head><body>
<h1>加入学校工会<br><small>Join the university's trade union</small></h1>
<p>入会自愿，退会自由。点击下方按钮即确认加入工会，会员号和欢迎信将随后发到您的邮箱。</p>
<p>Membership is voluntary. Press the button to confirm that you join; your membership number and a welcome mail follow.</p>
<p><button id="join">确认入会 / I join</button></p>
<p id="out" role="status"></p>
<script>${SCRIPT}</script>
</body></html>`;

const scriptHash = createHash('sha256').update(SCRIPT, 'utf8').digest('base64');

export const invitationPage = (): APIGatewayProxyStructuredResultV2 => ({
  statusCode: 200,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'content-security-policy': `default-src 'none'; script-src 'sha256-${scriptHash}'; style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'`,
  },
  body: HTML,
});
