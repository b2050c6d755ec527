import { createHash, randomBytes, verify, X509Certificate } from 'node:crypto';
import { AsnArray, AsnConvert, AsnType, AsnTypeTypes, OctetString } from '@peculiar/asn1-schema';
import { Attribute, ContentInfo, id_signedData, SignedData, type SignerInfo } from '@peculiar/asn1-cms';
import { AlgorithmIdentifier, Certificate, ExtendedKeyUsage, id_ce_extKeyUsage, id_kp_timeStamping } from '@peculiar/asn1-x509';
import { id_ct_tstInfo, MessageImprint, PKIStatus, TimeStampReq, TimeStampResp, TSTInfo } from '@peculiar/asn1-tsp';
import { fromBER, ObjectIdentifier } from 'asn1js';
import { DomainError } from '@radledger/platform';

/**
 * RFC 3161 time-stamp tokens over checkpoints, built and checked with the @peculiar ASN.1
 * schemas (no DER is written by hand) and node:crypto for the signatures:
 *  - the request (§2.4.1): SHA-256 message imprint, a random 64-bit nonce, certReq;
 *  - the token check, offline: imprint = SHA-256 of the checkpoint text, nonce = the one
 *    sent, the CMS SignedData signature (RFC 5652 §5.4: over the DER SET OF signed
 *    attributes, whose message-digest is the digest of the TSTInfo and content-type is
 *    id-ct-TSTInfo), the signer certificate's extended key usage is exactly
 *    id-kp-timeStamping and critical (§2.3), and its chain leads to a pinned root with every
 *    certificate valid at the token's genTime.
 */
export type TimestampErrorCode =
  | 'TSA_RESPONSE_MALFORMED'
  | 'TSA_REJECTED'
  | 'TSA_TOKEN_MALFORMED'
  | 'TSA_IMPRINT_MISMATCH'
  | 'TSA_NONCE_MISMATCH'
  | 'TSA_SIGNATURE_INVALID'
  | 'TSA_EKU_INVALID'
  | 'TSA_CERT_EXPIRED'
  | 'TSA_CHAIN_UNTRUSTED'
  | 'TSA_ALGORITHM_UNSUPPORTED';

export class TimestampError extends DomainError {
  constructor(code: TimestampErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

const OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  sha384WithRSA: '1.2.840.113549.1.1.12',
  sha512WithRSA: '1.2.840.113549.1.1.13',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  ecPublicKey: '1.2.840.10045.2.1',
  ed25519: '1.3.101.112',
} as const;
const DIGESTS: Record<string, string> = { [OID.sha256]: 'sha256', [OID.sha384]: 'sha384', [OID.sha512]: 'sha512' };

/** RFC 5652 §5.4: signed attributes are digested as a DER SET OF, not with the [0] IMPLICIT tag they carry. */
@AsnType({ type: AsnTypeTypes.Set, itemType: Attribute })
class SignedAttributeSet extends AsnArray<Attribute> {
  constructor(items?: Attribute[]) {
    super(items);
    Object.setPrototypeOf(this, SignedAttributeSet.prototype);
  }
}

/** The bytes a CMS signer signs: its signed attributes as a DER SET OF (RFC 5652 §5.4). */
export function signedAttributesDer(signer: SignerInfo): Buffer {
  return Buffer.from(AsnConvert.serialize(new SignedAttributeSet(signer.signedAttrs ?? [])));
}

function bytesToBigInt(bytes: ArrayBuffer | Uint8Array): bigint {
  const hex = Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('hex');
  return hex.length === 0 ? 0n : BigInt(`0x${hex}`);
}

function bigIntToBytes(value: bigint): ArrayBuffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  // A leading 1 bit would make the DER INTEGER negative: keep it positive.
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  const b = Buffer.from(hex, 'hex');
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.length);
}

const buf = (a: ArrayBuffer | Uint8Array) => Buffer.from(a instanceof Uint8Array ? a : new Uint8Array(a));

/** A TimeStampReq (DER) over SHA-256(data) with a fresh 64-bit nonce. */
export function createTimestampRequest(data: Uint8Array, nonce: bigint = bytesToBigInt(randomBytes(8))): { request: Uint8Array; nonce: bigint } {
  const digest = createHash('sha256').update(data).digest();
  const req = new TimeStampReq({
    messageImprint: new MessageImprint({ hashAlgorithm: new AlgorithmIdentifier({ algorithm: OID.sha256, parameters: null }), hashedMessage: new OctetString(digest) }),
    nonce: bigIntToBytes(nonce),
    certReq: true,
  });
  return { request: new Uint8Array(AsnConvert.serialize(req)), nonce };
}

/** The TimeStampToken (DER ContentInfo) out of a TimeStampResp; TSA_REJECTED when the status is not granted. */
export function tokenFromResponse(response: Uint8Array): Uint8Array {
  let resp: TimeStampResp;
  try {
    resp = AsnConvert.parse(response, TimeStampResp);
  } catch (error) {
    throw new TimestampError('TSA_RESPONSE_MALFORMED', `the TSA response is not an RFC 3161 TimeStampResp: ${(error as Error).message}`);
  }
  const status = resp.status.status;
  if (status !== PKIStatus.granted && status !== PKIStatus.grantedWithMods) {
    throw new TimestampError('TSA_REJECTED', `the TSA refused the request (PKIStatus ${status}${resp.status.statusString ? `: ${resp.status.statusString.join(' ')}` : ''})`);
  }
  if (!resp.timeStampToken) throw new TimestampError('TSA_RESPONSE_MALFORMED', 'the TSA granted the request but sent no token');
  return new Uint8Array(AsnConvert.serialize(resp.timeStampToken));
}

export interface TimestampCheck {
  genTime: Date;
  policy: string;
  serialNumber: string;
  /** Subject of the TSA certificate. */
  tsa: string;
}

export interface VerifyTimestampOptions {
  /** The pinned root certificate(s), PEM or DER. */
  trustedRoots: Array<string | Uint8Array>;
  /** The nonce that was sent; omit only when it is unknown (then it is not checked). */
  nonce?: bigint;
  /** Intermediate certificates not carried in the token. */
  intermediates?: Array<string | Uint8Array>;
}

/** Verifies a token over `data` offline; throws TimestampError with the failing step's code. */
export function verifyTimestampToken(token: Uint8Array, data: Uint8Array, options: VerifyTimestampOptions): TimestampCheck {
  let signed: SignedData;
  let info: TSTInfo;
  try {
    const content = AsnConvert.parse(token, ContentInfo);
    if (content.contentType !== id_signedData) throw new Error(`content type ${content.contentType} is not SignedData`);
    signed = AsnConvert.parse(content.content, SignedData);
    if (signed.encapContentInfo.eContentType !== id_ct_tstInfo) throw new Error(`encapsulated content ${signed.encapContentInfo.eContentType} is not id-ct-TSTInfo`);
    const eContent = signed.encapContentInfo.eContent?.single;
    if (!eContent) throw new Error('no encapsulated TSTInfo');
    info = AsnConvert.parse(eContent.buffer, TSTInfo);
  } catch (error) {
    throw new TimestampError('TSA_TOKEN_MALFORMED', `not an RFC 3161 TimeStampToken: ${(error as Error).message}`);
  }
  const tstBytes = buf(signed.encapContentInfo.eContent!.single!.buffer);

  // Message imprint.
  const hashName = DIGESTS[info.messageImprint.hashAlgorithm.algorithm];
  if (!hashName) throw new TimestampError('TSA_ALGORITHM_UNSUPPORTED', `imprint hash algorithm ${info.messageImprint.hashAlgorithm.algorithm} is not supported`);
  const expected = createHash(hashName).update(data).digest();
  const imprint = buf(info.messageImprint.hashedMessage.buffer);
  if (!imprint.equals(expected)) {
    throw new TimestampError('TSA_IMPRINT_MISMATCH', `the token's message imprint ${imprint.toString('hex')} is not the ${hashName} of the checkpoint (${expected.toString('hex')})`, { expected: expected.toString('hex'), computed: imprint.toString('hex') });
  }
  // Nonce.
  if (options.nonce !== undefined) {
    const got = info.nonce ? bytesToBigInt(info.nonce) : undefined;
    if (got !== options.nonce) throw new TimestampError('TSA_NONCE_MISMATCH', `the token's nonce ${got ?? '(none)'} is not the nonce sent (${options.nonce})`, { expected: options.nonce.toString(), computed: String(got) });
  }

  // Signer and its certificate.
  if (signed.signerInfos.length !== 1) throw new TimestampError('TSA_TOKEN_MALFORMED', `a time-stamp token has one signer, got ${signed.signerInfos.length}`);
  const signer = signed.signerInfos[0]!;
  const carried = (signed.certificates ?? []).filter((c) => c.certificate).map((c) => c.certificate!);
  const signerCert = findSignerCertificate(signer, carried);
  const x509 = new X509Certificate(Buffer.from(AsnConvert.serialize(signerCert)));

  // CMS signature (RFC 5652 §5.4, §11.1, §11.2).
  const digestName = DIGESTS[signer.digestAlgorithm.algorithm];
  if (!digestName) throw new TimestampError('TSA_ALGORITHM_UNSUPPORTED', `signer digest algorithm ${signer.digestAlgorithm.algorithm} is not supported`);
  if (!signer.signedAttrs || signer.signedAttrs.length === 0) throw new TimestampError('TSA_SIGNATURE_INVALID', 'the token has no signed attributes (required for id-ct-TSTInfo content)');
  const attr = (oid: string) => signer.signedAttrs!.find((a) => a.attrType === oid);
  const ct = attr(OID.contentType);
  if (!ct || contentTypeOf(ct.attrValues[0]!) !== id_ct_tstInfo) throw new TimestampError('TSA_SIGNATURE_INVALID', 'the signed content-type attribute is not id-ct-TSTInfo');
  const md = attr(OID.messageDigest);
  const digest = md ? buf(AsnConvert.parse(md.attrValues[0]!, OctetString).buffer) : undefined;
  if (!digest || !digest.equals(createHash(digestName).update(tstBytes).digest())) throw new TimestampError('TSA_SIGNATURE_INVALID', 'the signed message-digest attribute is not the digest of the TSTInfo');
  const signedAttrs = signedAttributesDer(signer);
  if (!verifySignature(signer.signatureAlgorithm.algorithm, digestName, signedAttrs, buf(signer.signature.buffer), x509)) {
    throw new TimestampError('TSA_SIGNATURE_INVALID', `the CMS signature by ${x509.subject.replace(/\n/g, ', ')} does not verify`);
  }

  // RFC 3161 §2.3: the TSA certificate's EKU is exactly id-kp-timeStamping, and critical.
  const eku = signerCert.tbsCertificate.extensions?.find((e) => e.extnID === id_ce_extKeyUsage);
  if (!eku) throw new TimestampError('TSA_EKU_INVALID', 'the TSA certificate has no extended key usage (RFC 3161 §2.3 requires id-kp-timeStamping)');
  if (!eku.critical) throw new TimestampError('TSA_EKU_INVALID', 'the TSA certificate\'s extended key usage is not critical (RFC 3161 §2.3)');
  const purposes = [...AsnConvert.parse(eku.extnValue.buffer, ExtendedKeyUsage)];
  if (purposes.length !== 1 || purposes[0] !== id_kp_timeStamping) {
    throw new TimestampError('TSA_EKU_INVALID', `the TSA certificate's extended key usage must be only id-kp-timeStamping, got ${purposes.join(', ')}`);
  }

  // Chain to a pinned root, every certificate valid at genTime.
  const genTime = info.genTime;
  const roots = options.trustedRoots.map(toX509);
  const pool = [...carried.map((c) => new X509Certificate(Buffer.from(AsnConvert.serialize(c)))), ...(options.intermediates ?? []).map(toX509)];
  checkChain(x509, pool, roots, genTime);
  return { genTime, policy: info.policy, serialNumber: buf(info.serialNumber).toString('hex'), tsa: x509.subject.replace(/\n/g, ', ') };
}

/** The content-type attribute value (RFC 5652 §11.1): an OBJECT IDENTIFIER, read with asn1js. */
function contentTypeOf(value: ArrayBuffer): string | undefined {
  const parsed = fromBER(value);
  return parsed.offset !== -1 && parsed.result instanceof ObjectIdentifier ? parsed.result.valueBlock.toString() : undefined;
}

function toX509(cert: string | Uint8Array): X509Certificate {
  return new X509Certificate(typeof cert === 'string' ? cert : Buffer.from(cert));
}

function findSignerCertificate(signer: SignerInfo, certs: Certificate[]): Certificate {
  const byIssuerSerial = signer.sid.issuerAndSerialNumber;
  const ski = signer.sid.subjectKeyIdentifier;
  for (const cert of certs) {
    if (byIssuerSerial) {
      const sameSerial = buf(cert.tbsCertificate.serialNumber).equals(buf(byIssuerSerial.serialNumber));
      const sameIssuer = Buffer.from(AsnConvert.serialize(cert.tbsCertificate.issuer)).equals(Buffer.from(AsnConvert.serialize(byIssuerSerial.issuer)));
      if (sameSerial && sameIssuer) return cert;
    } else if (ski) {
      const ext = cert.tbsCertificate.extensions?.find((e) => e.extnID === '2.5.29.14');
      if (ext && buf(AsnConvert.parse(ext.extnValue.buffer, OctetString).buffer).equals(buf(ski.buffer))) return cert;
    }
  }
  throw new TimestampError('TSA_CHAIN_UNTRUSTED', 'the token does not carry the signer\'s certificate (request it with certReq)');
}

function verifySignature(algorithm: string, digestName: string, data: Buffer, signature: Buffer, cert: X509Certificate): boolean {
  const key = cert.publicKey;
  switch (algorithm) {
    case OID.rsaEncryption:
      return verify(digestName, data, key, signature);
    case OID.sha256WithRSA:
      return verify('sha256', data, key, signature);
    case OID.sha384WithRSA:
      return verify('sha384', data, key, signature);
    case OID.sha512WithRSA:
      return verify('sha512', data, key, signature);
    case OID.ecPublicKey:
      return verify(digestName, data, { key, dsaEncoding: 'der' }, signature);
    case OID.ecdsaWithSha256:
      return verify('sha256', data, { key, dsaEncoding: 'der' }, signature);
    case OID.ecdsaWithSha384:
      return verify('sha384', data, { key, dsaEncoding: 'der' }, signature);
    case OID.ecdsaWithSha512:
      return verify('sha512', data, { key, dsaEncoding: 'der' }, signature);
    case OID.ed25519:
      return verify(null, data, key, signature);
    default:
      throw new TimestampError('TSA_ALGORITHM_UNSUPPORTED', `signature algorithm ${algorithm} is not supported`);
  }
}

function checkValidAt(cert: X509Certificate, at: Date): void {
  const from = new Date(cert.validFrom);
  const to = new Date(cert.validTo);
  if (at < from || at > to) {
    throw new TimestampError('TSA_CERT_EXPIRED', `certificate ${cert.subject.replace(/\n/g, ', ')} is valid from ${from.toISOString()} to ${to.toISOString()}, not at the token's time ${at.toISOString()}`, { subject: cert.subject });
  }
}

/** Walks issuer links from the signer to a pinned root (at most 8 steps); every certificate must be valid at `at`, every issuer a CA. */
function checkChain(leaf: X509Certificate, pool: X509Certificate[], roots: X509Certificate[], at: Date): void {
  let current = leaf;
  for (let depth = 0; depth < 8; depth++) {
    checkValidAt(current, at);
    const root = roots.find((r) => r.raw.equals(current.raw) || (current.checkIssued(r) && current.verify(r.publicKey)));
    if (root) {
      checkValidAt(root, at);
      if (!root.raw.equals(current.raw) && !root.ca) throw new TimestampError('TSA_CHAIN_UNTRUSTED', `the pinned root ${root.subject} is not a CA certificate`);
      return;
    }
    const issuer = pool.find((c) => !c.raw.equals(current.raw) && current.checkIssued(c) && current.verify(c.publicKey));
    if (!issuer) break;
    if (!issuer.ca) throw new TimestampError('TSA_CHAIN_UNTRUSTED', `the issuer ${issuer.subject} is not a CA certificate`);
    current = issuer;
  }
  throw new TimestampError('TSA_CHAIN_UNTRUSTED', `the TSA certificate ${leaf.subject.replace(/\n/g, ', ')} does not chain to a pinned root`);
}
