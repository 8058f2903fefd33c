<?php
// Verify a Bawaba webhook: the Bawaba-Signature header over the exact body received.
//
//   BAWABA_WEBHOOK_SECRET=… php verify.php '<Bawaba-Signature value>' < body.json
//
// In your shop: bawaba_verify(getenv('BAWABA_WEBHOOK_SECRET'),
//     $_SERVER['HTTP_BAWABA_SIGNATURE'] ?? '', file_get_contents('php://input'), time())
// — the raw input, never a re-encoded json_decode() of it.

function bawaba_verify(string $secret, string $header, string $body, int $now, int $tolerance = 300): bool
{
    $t = null;
    $v1s = []; // one per secret while the merchant rotates it: any may match
    foreach (explode(',', $header) as $part) {
        $kv = explode('=', trim($part), 2);
        if (count($kv) !== 2) {
            continue;
        }
        if ($kv[0] === 't') {
            $t = $kv[1];
        } elseif ($kv[0] === 'v1') {
            $v1s[] = $kv[1];
        }
    }
    if ($t === null || count($v1s) === 0 || !ctype_digit($t) || abs($now - (int) $t) > $tolerance) {
        return false;
    }
    $expected = hash_hmac('sha256', $t . '.' . $body, $secret);
    $ok = false;
    foreach ($v1s as $v1) {
        $ok = hash_equals($expected, $v1) || $ok;
    }
    return $ok;
}

if (PHP_SAPI === 'cli' && realpath($argv[0]) === __FILE__) {
    if ($argc !== 2) {
        fwrite(STDERR, "usage: BAWABA_WEBHOOK_SECRET=… php verify.php '<Bawaba-Signature>' < body\n");
        exit(2);
    }
    $ok = bawaba_verify((string) getenv('BAWABA_WEBHOOK_SECRET'), $argv[1], stream_get_contents(STDIN), time());
    echo $ok ? "valid\n" : "invalid\n";
    exit($ok ? 0 : 1);
}
