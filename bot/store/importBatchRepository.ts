import { ObjectId, type Collection, type Db } from 'mongodb';
import type { ImportBatch, ImportBatchStore, ImportSummary, WrittenLine } from '../domain/importJobs.js';
import { collections, guarded, isDuplicateKey } from './mongo.js';

interface SummaryDocument extends ImportSummary {
  _id: ObjectId;
  completedAt?: Date;
}

interface BatchDocument extends ImportBatch {
  _id: ObjectId;
  firmId: string;
  requestId: string;
}

/** A submitted import's lines, in batches keyed by (firm, request id, index), and what each batch wrote. */
export class MongoImportBatchStore implements ImportBatchStore {
  private readonly summaries: Collection<SummaryDocument>;
  private readonly batchDocuments: Collection<BatchDocument>;

  constructor(db: Db) {
    this.summaries = db.collection<SummaryDocument>(collections.imports);
    this.batchDocuments = db.collection<BatchDocument>(collections.importBatches);
  }

  save(summary: ImportSummary, batches: ImportBatch[]): Promise<void> {
    return guarded(async () => {
      const { firmId, requestId } = summary;
      // $setOnInsert: the same request sent twice (or resumed after a crash here) keeps what was stored first.
      for (let start = 0; start < batches.length; start += 20) {
        await this.batchDocuments.bulkWrite(
          batches.slice(start, start + 20).map((batch) => ({
            updateOne: { filter: { firmId, requestId, index: batch.index }, update: { $setOnInsert: { ...batch, _id: new ObjectId(), firmId, requestId } }, upsert: true },
          })),
          { ordered: false },
        ).catch(ignoreDuplicates);
      }
      await this.summaries.updateOne({ firmId, requestId }, { $setOnInsert: { ...summary, _id: new ObjectId() } }, { upsert: true }).catch(ignoreDuplicates);
    });
  }

  summary(firmId: string, requestId: string): Promise<ImportSummary | null> {
    return guarded(async () => {
      const document = await this.summaries.findOne({ firmId, requestId }, { projection: { _id: 0, completedAt: 0 } });
      return document ?? null;
    });
  }

  batch(firmId: string, requestId: string, index: number): Promise<ImportBatch | null> {
    return guarded(async () => {
      const document = await this.batchDocuments.findOne({ firmId, requestId, index });
      return document ? batchOf(document) : null;
    });
  }

  isWritten(firmId: string, requestId: string, index: number): Promise<boolean> {
    return guarded(async () => (await this.batchDocuments.countDocuments({ firmId, requestId, index, written: { $exists: true } }, { limit: 1 })) > 0);
  }

  recordWritten(firmId: string, requestId: string, index: number, written: WrittenLine[], failed = false): Promise<void> {
    return guarded(async () => {
      await this.batchDocuments.updateOne({ firmId, requestId, index }, { $set: { written, ...(failed ? { failed } : {}) } });
    });
  }

  batches(firmId: string, requestId: string): Promise<ImportBatch[]> {
    return guarded(async () => (await this.batchDocuments.find({ firmId, requestId }).sort({ index: 1 }).toArray()).map(batchOf));
  }

  markCompleted(firmId: string, requestId: string, at: Date): Promise<boolean> {
    return guarded(async () => {
      const result = await this.summaries.updateOne({ firmId, requestId, completedAt: { $exists: false } }, { $set: { completedAt: at } });
      return result.modifiedCount === 1;
    });
  }
}

function batchOf({ index, lines, refused, written, failed }: BatchDocument): ImportBatch {
  return { index, lines, refused, ...(written ? { written } : {}), ...(failed ? { failed } : {}) };
}

/** Two identical submissions racing: the unique index keeps the first, which is what we want. */
function ignoreDuplicates(error: unknown): void {
  if (!isDuplicateKey(error)) throw error;
}
