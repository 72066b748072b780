import assert from 'node:assert/strict';
import { PortfolioProjector, portfolioSummaryVersion, summariseFile, type PortfolioSummary, type PortfolioSummaryStore, type SummarySources } from '../../bot/domain/portfolioSummary.js';

const file = { id: 'f1', firmId: 'firm', companyName: 'Épicerie Œuvre & Fils', primaryContactId: 'c1' };

function sources(overrides: Partial<SummarySources> = {}): SummarySources {
  return {
    files: [file, { id: 'f2', firmId: 'firm', companyName: 'Autre' }],
    links: [
      { clientFileId: 'f1', contactId: 'c1' },
      { clientFileId: 'f1', contactId: 'c2' },
      { clientFileId: 'f2', contactId: 'c3' },
    ],
    contacts: [
      { id: 'c1', firstName: 'Léa', lastName: 'Bernard', email: 'lea@example.test', state: 'member' },
      { id: 'c2', lastName: 'Durand', email: 'durand@example.test', state: 'notInvited' },
      { id: 'c3', lastName: 'Ailleurs', email: 'ailleurs@example.test', state: 'failed' },
    ],
    subscriptions: [
      { clientFileId: 'f1', offerId: 'start', state: 'active' },
      { clientFileId: 'f1', offerId: 'start', state: 'waitingForGuest' },
      { clientFileId: 'f1', offerId: 'consultation', state: 'ended' },
      { clientFileId: 'f2', offerId: 'coproduction', state: 'active' },
    ],
    flows: [{ clientFileId: 'f1', steps: { appAuthorised: {}, settingsChecked: {} } }],
    shines: [{ clientFileId: 'f1', purchases: true, sales: false, plan: 'plus', billingMode: 'firmRebills' }],
    ...overrides,
  };
}

describe('portfolio summary of a client file', () => {
  it('counts only this file’s contacts by onboarding state and names the primary one', () => {
    const summary = summariseFile(file, sources());
    assert.equal(summary.contactCount, 2);
    assert.deepEqual(summary.states, { member: 1, notInvited: 1 });
    assert.deepEqual([...summary.stateList].sort(), ['member', 'notInvited']);
    assert.deepEqual(summary.primary, { name: 'Léa Bernard', email: 'lea@example.test' });
  });

  it('tallies offers not ended per offer, active apart from waiting for the guest', () => {
    const summary = summariseFile(file, sources());
    assert.deepEqual(summary.offers, [{ offerId: 'start', active: 1, waiting: 1 }]);
    assert.deepEqual(summary.offerList, ['start'], 'the ended Consultation is not an offer of the file any more');
    assert.deepEqual(summariseFile(file, sources({ subscriptions: [] })).offerList, ['none'], 'a file without offers is found by « none »');
  });

  it('counts Flow’s steps, the third done only when every contact accepted their invitation', () => {
    assert.deepEqual(summariseFile(file, sources()).flow, { done: 2, total: 5 }, 'Durand is not invited: step 3 waits');
    const contacts = (durand: 'invited' | 'accepted') => sources({
      contacts: [
        { id: 'c1', lastName: 'Bernard', email: 'lea@example.test', state: 'member' },
        { id: 'c2', lastName: 'Durand', email: 'durand@example.test', state: durand },
      ],
    });
    assert.deepEqual(summariseFile(file, contacts('invited')).flow, { done: 2, total: 5 }, 'Durand is invited but has not accepted: step 3 waits');
    assert.deepEqual(summariseFile(file, contacts('accepted')).flow, { done: 3, total: 5 });
    assert.equal(summariseFile(file, sources({ flows: [] })).flow, null, 'no checklist: no Flow column value');
  });

  it('carries Shine’s choices and a sort name without accents or case', () => {
    const summary = summariseFile(file, sources());
    assert.deepEqual(summary.shine, { purchases: true, sales: false, plan: 'plus', billingMode: 'firmRebills' });
    assert.equal(summary.sortName, 'epicerie oeuvre fils');
    assert.equal(summary.version, portfolioSummaryVersion);
  });

  it('has no primary and no states for a file without contacts', () => {
    const summary = summariseFile({ id: 'f3', firmId: 'firm', companyName: 'Seul', primaryContactId: 'c1' }, sources());
    assert.equal(summary.contactCount, 0);
    assert.equal(summary.primary, null, 'a primary contact no longer linked is not shown');
    assert.deepEqual(summary.stateList, []);
  });
});

/** A store in memory: enough to check what the projector asks for and keeps. */
class MemorySummaryStore implements PortfolioSummaryStore {
  saved = new Map<string, { summary: PortfolioSummary; readAt: number }>();
  stale: { firmId: string; id: string }[] = [];
  reads: string[][] = [];
  constructor(private readonly data: SummarySources) {}
  async sourcesOf(_firmId: string, ids: string[]): Promise<SummarySources> {
    this.reads.push(ids);
    return { ...this.data, files: this.data.files.filter((candidate) => ids.includes(candidate.id)) };
  }
  async saveSummary(_firmId: string, id: string, summary: PortfolioSummary, readAt: number): Promise<void> {
    const known = this.saved.get(id);
    if (!known || known.readAt <= readAt) this.saved.set(id, { summary, readAt });
    this.stale = this.stale.filter((candidate) => candidate.id !== id);
  }
  async clientFileIdsOfContacts(_firmId: string, contactIds: string[]): Promise<string[]> {
    return [...new Set(this.data.links.filter((link) => contactIds.includes(link.contactId)).map((link) => link.clientFileId))];
  }
  async filesWithStaleSummary(_version: number, limit: number) {
    return this.stale.slice(0, limit);
  }
}

describe('portfolio projector', () => {
  const entry = (fields: { clientFileId?: string; contactId?: string }) => ({ id: 'e', firmId: 'firm', actor: { userId: 'u', displayName: 'U', at: new Date() }, action: 'clientFile.updated' as const, ...fields });

  it('recomputes the file an entry names, and every file of the contact it names', async () => {
    const store = new MemorySummaryStore(sources({ links: [...sources().links, { clientFileId: 'f2', contactId: 'c1' }] }));
    const projector = new PortfolioProjector({ store });
    await projector.onAuditEntry(entry({ contactId: 'c1' }));
    assert.deepEqual([...store.saved.keys()].sort(), ['f1', 'f2']);
    store.saved.clear();
    await projector.onAuditEntry(entry({ clientFileId: 'f2' }));
    assert.deepEqual([...store.saved.keys()], ['f2']);
    store.saved.clear();
    await projector.onAuditEntry(entry({}));
    assert.equal(store.saved.size, 0, 'an entry about neither (an import ending) changes no summary');
  });

  it('coalesces entries arriving together into one read of the records', async () => {
    const store = new MemorySummaryStore(sources());
    const projector = new PortfolioProjector({ store });
    await Promise.all([projector.onAuditEntry(entry({ clientFileId: 'f1' })), projector.onAuditEntry(entry({ contactId: 'c3' })), projector.onAuditEntry(entry({ clientFileId: 'f1' }))]);
    assert.equal(store.reads.length, 1, 'three entries, one batch');
    assert.deepEqual([...store.reads[0]!].sort(), ['f1', 'f2']);
    await projector.onAuditEntry(entry({ clientFileId: 'f2' }));
    assert.equal(store.reads.length, 2, 'a later entry gets its own batch');
  });

  it('tries a batch again shortly when the database failed, instead of dropping it', async () => {
    const store = new MemorySummaryStore(sources());
    const read = store.sourcesOf.bind(store);
    let failures = 1;
    store.sourcesOf = async (firmId, ids) => {
      if (failures-- > 0) throw new Error('database unavailable');
      return read(firmId, ids);
    };
    const projector = new PortfolioProjector({ store, retryAfterMs: 10 });
    await assert.rejects(projector.onAuditEntry(entry({ clientFileId: 'f1' })), /database unavailable/, 'the relay learns of the failure');
    assert.equal(store.saved.size, 0);
    for (let attempt = 0; attempt < 50 && store.saved.size === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual([...store.saved.keys()], ['f1'], 'the retry summarised the file');
    projector.stop();
  });

  it('rebuilds stale summaries in batches and stops on files that stay stale', async () => {
    const store = new MemorySummaryStore(sources());
    store.stale = [
      { firmId: 'firm', id: 'f1' },
      { firmId: 'firm', id: 'f2' },
      { firmId: 'firm', id: 'gone' },
    ];
    const rebuilt = await new PortfolioProjector({ store }).rebuildStale(2);
    assert.equal(rebuilt, 3);
    assert.deepEqual([...store.saved.keys()].sort(), ['f1', 'f2']);
    assert.deepEqual(store.stale, [{ firmId: 'firm', id: 'gone' }], 'a deleted file stays listed but does not loop forever');
  });
});
