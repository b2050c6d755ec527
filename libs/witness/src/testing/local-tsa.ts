import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { createPrivateKey, KeyObject, sign, webcrypto, X509Certificate } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { CertificateChoices, CertificateSet, ContentInfo, IssuerAndSerialNumber, SignedData, SignerIdentifier } from '@peculiar/asn1-cms';
import { Certificate } from '@peculiar/asn1-x509';
import { signedAttributesDer } from '../timestamp/rfc3161.js';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

/** A test PKI: a root CA and TSA certificates with good, missing and expired properties (PEM files in `dir`). */
export interface TestPki {
  rootPem: string;
  /** Another root that signed nothing here: a token must not chain to it. */
  otherRootPem: string;
  files: Record<'root' | 'good' | 'goodKey' | 'noEku' | 'noEkuKey' | 'expired' | 'expiredKey', string>;
}

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

type KeyPair = webcrypto.CryptoKeyPair;

async function keyPair(): Promise<KeyPair> {
  return (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as KeyPair;
}

function keyPem(key: webcrypto.CryptoKey): string {
  return KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }) as string;
}

/** Builds the PKI with @peculiar/x509 (dates in the past are needed for the expired chain, which openssl 3.0's x509 cannot back-date). */
export async function makeTestPki(dir: string): Promise<TestPki> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const now = Date.now();
  const rootKeys = await keyPair();
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=RadLedger Test TSA Root',
    notBefore: new Date(now - 3650 * DAY),
    notAfter: new Date(now + 3650 * DAY),
    keys: rootKeys,
    signingAlgorithm: SIGN,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
  });
  const other = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '02', name: 'CN=Unrelated Root', keys: await keyPair(), signingAlgorithm: SIGN, extensions: [new x509.BasicConstraintsExtension(true, undefined, true)] });
  const leaf = async (serial: string, cn: string, eku: string, from: number, to: number) => {
    const keys = await keyPair();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial,
      subject: `CN=${cn}`,
      issuer: root.subject,
      notBefore: new Date(from),
      notAfter: new Date(to),
      publicKey: keys.publicKey,
      signingKey: rootKeys.privateKey,
      signingAlgorithm: SIGN,
      extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true), new x509.ExtendedKeyUsageExtension([eku], true)],
    });
    return { cert: cert.toString('pem'), key: keyPem(keys.privateKey) };
  };
  const good = await leaf('10', 'Test TSA', x509.ExtendedKeyUsage.timeStamping, now - DAY, now + 365 * DAY);
  const noEku = await leaf('11', 'Test server (not a TSA)', x509.ExtendedKeyUsage.serverAuth, now - DAY, now + 365 * DAY);
  const expired = await leaf('12', 'Expired TSA', x509.ExtendedKeyUsage.timeStamping, now - 800 * DAY, now - 400 * DAY);
  const files = {
    root: join(dir, 'root.pem'),
    good: join(dir, 'tsa.pem'),
    goodKey: join(dir, 'tsa.key'),
    noEku: join(dir, 'no-eku.pem'),
    noEkuKey: join(dir, 'no-eku.key'),
    expired: join(dir, 'expired.pem'),
    expiredKey: join(dir, 'expired.key'),
  };
  await writeFile(files.root, root.toString('pem'));
  for (const [name, pair] of [['good', good], ['noEku', noEku], ['expired', expired]] as const) {
    await writeFile(files[name], pair.cert);
    await writeFile(files[`${name}Key`], pair.key, { mode: 0o600 });
  }
  await writeFile(join(dir, 'tsa.cnf'), TSA_CONFIG(dir));
  await writeFile(join(dir, 'serial'), '01\n');
  return { rootPem: root.toString('pem'), otherRootPem: other.toString('pem'), files };
}

const TSA_CONFIG = (dir: string) => `[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = ${join(dir, 'serial')}
crypto_device = builtin
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
other_policies = 1.3.6.1.4.1.99999.2
digests = sha256
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;

function run(command: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

export interface LocalTsa {
  url: string;
  close(): Promise<void>;
}

/**
 * An RFC 3161 TSA over HTTP on loopback: each POSTed TimeStampReq is answered by Debian's
 * `openssl ts -reply`, signed with the given certificate and key.
 */
export async function startLocalTsa(dir: string, signer: { cert: string; key: string }): Promise<LocalTsa> {
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const id = ++n;
      const query = join(dir, `q${id}.tsq`);
      const reply = join(dir, `r${id}.tsr`);
      await writeFile(query, Buffer.concat(chunks));
      const r = await run('openssl', ['ts', '-reply', '-config', join(dir, 'tsa.cnf'), '-queryfile', query, '-signer', signer.cert, '-inkey', signer.key, '-out', reply]);
      if (r.code !== 0) {
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end(r.stderr);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' }).end(await readFile(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/tsa`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * The same token re-signed by another certificate and key, built with the @peculiar ASN.1
 * schemas: how a token by a certificate without the timeStamping EKU is made, since
 * `openssl ts -reply` refuses to sign with one.
 */
export function resignToken(token: Uint8Array, certPem: string, keyPem: string): Uint8Array {
  const content = AsnConvert.parse(token, ContentInfo);
  const signed = AsnConvert.parse(content.content, SignedData);
  const cert = AsnConvert.parse(new X509Certificate(certPem).raw, Certificate);
  const signer = signed.signerInfos[0]!;
  signed.certificates = new CertificateSet([new CertificateChoices({ certificate: cert })]);
  signer.sid = new SignerIdentifier({ issuerAndSerialNumber: new IssuerAndSerialNumber({ issuer: cert.tbsCertificate.issuer, serialNumber: cert.tbsCertificate.serialNumber }) });
  signer.signedAttrsRaw = undefined;
  signer.signature = new OctetString(sign('sha256', signedAttributesDer(signer), { key: createPrivateKey(keyPem), dsaEncoding: 'der' }));
  content.content = AsnConvert.serialize(signed);
  return new Uint8Array(AsnConvert.serialize(content));
}
