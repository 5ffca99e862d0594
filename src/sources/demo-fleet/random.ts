/**
 * The demo fleet's only source of irregularity: a seeded PRNG (mulberry32) and the id makers built
 * on it. Nothing here reads the clock or Math.random, so one seed always gives the same fleet.
 */
import { MICROS_PER_SECOND, type Instant } from '../../rows/time.js';

const TWO_POW_32 = 4294967296;

// Byte → two hex digits, so that ids are built by concatenation instead of per-id toString/padStart.
const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const RUNPOD_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const RUNPOD_ID_LENGTH = 14;

/**
 * V8 keeps a concatenation as a tree of its pieces (a rope) until the string is read; reading one
 * character flattens it. For the million ids and timestamps of a benchmark fleet that is ~70 bytes
 * a string instead of ~400, and several seconds less garbage collection.
 */
export function flattened(text: string): string {
  text.charCodeAt(0);
  return text;
}

function hexByte(byte: number): string {
  return HEX_BYTE[byte & 0xff]!;
}

function hex16(value: number): string {
  return hexByte(value >>> 8) + hexByte(value);
}

function hex32(value: number): string {
  return hexByte(value >>> 24) + hexByte(value >>> 16) + hexByte(value >>> 8) + hexByte(value);
}

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: 32 random bits. */
  uint32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** Uniform in [low, high). */
  between(low: number, high: number): number {
    return low + this.next() * (high - low);
  }

  /** Uniform whole number in [low, high], both inclusive. */
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** A duration of [lowS, highS) seconds as whole microseconds (instants carry random fractions). */
  micros(lowS: number, highS: number): number {
    return Math.floor((lowS + this.next() * (highS - lowS)) * MICROS_PER_SECOND);
  }

  /** An instant drawn in [from, to). */
  instant(from: Instant, to: Instant): Instant {
    return from + Math.floor(this.next() * (to - from));
  }

  /** A version-4 UUID (random bits, version nibble 4, variant 10xx), lower-case like Postgres prints it. */
  uuid(): string {
    const a = this.uint32();
    const b = this.uint32();
    const c = this.uint32();
    const d = this.uint32();
    return flattened(
      hex32(a) +
      '-' +
      hex16(b >>> 16) +
      '-' +
      hex16((b & 0x0fff) | 0x4000) +
      '-' +
      hex16(((c >>> 16) & 0x3fff) | 0x8000) +
      '-' +
      hex16(c) +
      hex32(d)
    );
  }

  /** Eight lower-case hex digits, the random tail of a worker id. */
  hex8(): string {
    return hex32(this.uint32());
  }

  /** A RunPod pod id: 14 lower-case letters and digits. */
  runpodId(): string {
    let id = '';
    for (let i = 0; i < RUNPOD_ID_LENGTH; i++) id += RUNPOD_ID_ALPHABET[this.uint32() % RUNPOD_ID_ALPHABET.length];
    return id;
  }
}
