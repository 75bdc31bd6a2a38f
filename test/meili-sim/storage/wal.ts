// Append-only write-ahead log in numbered segments (wal-000001.log, …), one JSON record per line.
// Appends are group-committed: every record appended while a write+fdatasync is in flight goes out
// in the next write, and each append's promise resolves only once its bytes are on disk — so a
// caller that awaits append() before answering 202 never acknowledges a write a crash can lose.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, truncateSync, unlinkSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { WalRecord, WalRecordInput } from '../model';

interface Pending {
  buf: Buffer;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** One segment file and the records waiting to be flushed to it. */
class Segment {
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;
  bytes = 0;

  constructor(
    readonly seq: number,
    private readonly fh: Promise<FileHandle>,
  ) {}

  write(buf: Buffer): Promise<void> {
    this.bytes += buf.length;
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ buf, resolve, reject });
      if (!this.flushing) this.flushing = this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    // Let the current tick's appends join this group before writing.
    await new Promise<void>((r) => setImmediate(r));
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        const fh = await this.fh;
        await fh.write(batch.length === 1 ? batch[0]!.buf : Buffer.concat(batch.map((p) => p.buf)));
        await fh.datasync();
        for (const p of batch) p.resolve();
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    this.flushing = null;
  }

  /** Resolves once everything written so far is durable. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  async close(): Promise<void> {
    await this.drain();
    await (await this.fh).close();
  }
}

const SEGMENT_RE = /^wal-(\d{6,})\.log$/;
const segmentName = (seq: number): string => `wal-${String(seq).padStart(6, '0')}.log`;

export interface WalOpenResult {
  wal: Wal;
  /** Records after `afterLsn`, in log order. */
  records: WalRecord[];
}

export class Wal {
  private nextLsn: number;
  private segment!: Segment;
  private retired: Segment[] = [];

  private constructor(
    private readonly dir: string,
    lastLsn: number,
  ) {
    this.nextLsn = lastLsn + 1;
  }

  /** Reads every segment, drops records at or below `afterLsn` (already in the snapshot), repairs a torn tail. */
  static async open(dir: string, afterLsn: number): Promise<WalOpenResult> {
    mkdirSync(dir, { recursive: true });
    const seqs = readdirSync(dir)
      .map((f) => SEGMENT_RE.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    const records: WalRecord[] = [];
    let lastLsn = afterLsn;
    for (let i = 0; i < seqs.length; i++) {
      const file = join(dir, segmentName(seqs[i]!));
      const { records: recs, validBytes, totalBytes } = readSegment(file);
      if (validBytes < totalBytes) {
        // A torn final line is a record whose fsync never completed, so it was never acknowledged.
        truncateSync(file, validBytes);
      }
      for (const r of recs) {
        if (r.lsn > lastLsn) lastLsn = r.lsn;
        if (r.lsn > afterLsn) records.push(r);
      }
    }
    const wal = new Wal(dir, lastLsn);
    const seq = seqs.length > 0 ? seqs[seqs.length - 1]! : 1;
    wal.segment = new Segment(seq, open(join(dir, segmentName(seq)), 'a'));
    return { wal, records };
  }

  get lastLsn(): number {
    return this.nextLsn - 1;
  }

  /** Bytes appended to the current segment since it was opened in this process. */
  get segmentBytes(): number {
    return this.segment.bytes;
  }

  /** Assigns the record its lsn synchronously (so log order = call order) and resolves when durable. */
  append(input: WalRecordInput): { record: WalRecord; durable: Promise<void> } {
    const record = { ...input, lsn: this.nextLsn++ } as WalRecord;
    const durable = this.segment.write(Buffer.from(JSON.stringify(record) + '\n', 'utf8'));
    return { record, durable };
  }

  /**
   * Starts a new segment; returns the last lsn of the old ones. Synchronous so the caller can capture
   * in-memory state at exactly this boundary.
   */
  rotate(): number {
    const boundary = this.lastLsn;
    const old = this.segment;
    const seq = old.seq + 1;
    this.segment = new Segment(seq, open(join(this.dir, segmentName(seq)), 'a'));
    this.retired.push(old);
    return boundary;
  }

  /** Deletes segments older than the current one once they are flushed (their content is in a snapshot). */
  async dropRetired(): Promise<void> {
    const current = this.segment.seq;
    for (const s of this.retired) await s.close();
    this.retired = [];
    for (const f of readdirSync(this.dir)) {
      const m = SEGMENT_RE.exec(f);
      if (m && Number(m[1]) < current) unlinkSync(join(this.dir, f));
    }
    fsyncDir(this.dir);
  }

  async close(): Promise<void> {
    for (const s of this.retired) await s.close();
    await this.segment.close();
  }
}

function readSegment(file: string): { records: WalRecord[]; validBytes: number; totalBytes: number } {
  const buf = existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
  const records: WalRecord[] = [];
  let start = 0;
  let validBytes = 0;
  while (start < buf.length) {
    const nl = buf.indexOf(0x0a, start);
    if (nl < 0) break; // no newline: torn tail
    const line = buf.toString('utf8', start, nl);
    try {
      records.push(JSON.parse(line) as WalRecord);
    } catch {
      break; // a corrupt line can only be the torn tail of an interrupted write
    }
    start = nl + 1;
    validBytes = start;
  }
  return { records, validBytes, totalBytes: buf.length };
}

export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic there.
  }
}
