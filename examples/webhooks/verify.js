// Verify a Bawaba webhook: the Bawaba-Signature header over the exact body received.
//
//   BAWABA_WEBHOOK_SECRET=… node verify.js '<Bawaba-Signature value>' < body.json
//
// In your shop (Express): app.post('/bawaba/webhook', express.raw({type: 'application/json'}),
//   (req, res) => verify(process.env.BAWABA_WEBHOOK_SECRET, req.get('Bawaba-Signature'), req.body, Date.now() / 1000) …)
// — the raw Buffer, never JSON.stringify(JSON.parse(body)).
'use strict';
const crypto = require('node:crypto');

function verify(secret, header, body, nowSeconds, toleranceSeconds = 300) {
  let t = null;
  const v1s = []; // one per secret while the merchant rotates it: any may match
  for (const part of String(header || '').split(',')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    const v = part.slice(i + 1).trim();
    if (k === 't') t = v;
    else if (k === 'v1') v1s.push(v);
  }
  if (t === null || v1s.length === 0 || !/^[0-9]+$/.test(t)) return false;
  if (Math.abs(nowSeconds - Number(t)) > toleranceSeconds) return false;
  const expected = crypto.createHmac('sha256', secret).update(t + '.').update(body).digest('hex');
  const a = Buffer.from(expected, 'utf8');
  let ok = false;
  for (const v1 of v1s) {
    const b = Buffer.from(v1, 'utf8');
    if (a.length === b.length && crypto.timingSafeEqual(a, b)) ok = true;
  }
  return ok;
}

module.exports = { verify };

if (require.main === module) {
  if (process.argv.length !== 3) {
    process.stderr.write("usage: BAWABA_WEBHOOK_SECRET=… node verify.js '<Bawaba-Signature>' < body\n");
    process.exit(2);
  }
  const chunks = [];
  process.stdin.on('data', (c) => chunks.push(c));
  process.stdin.on('end', () => {
    const ok = verify(process.env.BAWABA_WEBHOOK_SECRET || '', process.argv[2], Buffer.concat(chunks), Date.now() / 1000);
    process.stdout.write(ok ? 'valid\n' : 'invalid\n');
    process.exit(ok ? 0 : 1);
  });
}
