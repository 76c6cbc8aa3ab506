import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import {
  OppdragCommandHandler,
  assignPlanned,
  systemClock,
  toStoredOppdragEvent,
  isOppdragStream,
} from '#application';
import { isCoordinator, isRhfId, HOD_ID, type Actor, type Role } from '#domain';
import { formatPosition, type Position } from '#event-store';
import { OppdragProjector, ReadModelStore, type OppdragView } from '#projections';
import { DEFAULT_TOKEN_LIFETIME, mintToken, TOKEN_ISSUER } from '#platform';
import { toAssignData } from '#letters';
import { parseCommandLine, UsageError } from './args.js';
import { PREVIEW_OPTIONS, previewLetters } from './letters/import-command.js';
import { openStore, storeOptions } from './store-options.js';

type Out = (line: string) => void;

/** Where a command finds the stores (see {@link storeOptions}). */
const STORE_OPTIONS = { store: { type: 'string' }, 'read-models': { type: 'string' } } as const;
type Env = Readonly<Record<string, string | undefined>>;

/** A digest of all views, independent of the order they are held in: equal digests, equal read models. */
export function digestViews(views: Iterable<OppdragView>): string {
  const hash = createHash('sha256');
  for (const view of [...views].sort((a, b) => (a.oppdrag.id < b.oppdrag.id ? -1 : 1)))
    hash.update(JSON.stringify(view));
  return hash.digest('hex');
}

/**
 * `import <files…> [--json] [--verbose] [--commit]`: read letters (text or PDF); with --commit, assign the new
 * oppdrag as a coordinator. Notes (skipped files) go to `notes`, so that `--json` leaves only JSON on `out`.
 */
export async function importCommand(args: string[], out: Out, env: Env, notes: Out = out): Promise<number> {
  const { values: flags, positionals: paths } = parseCommandLine(
    args,
    { ...PREVIEW_OPTIONS, commit: { type: 'boolean' }, ...STORE_OPTIONS },
    true,
  );
  const json = flags.json === true;
  const plan = await previewLetters(
    { json, verbose: flags.verbose === true, paths },
    flags.commit && json ? () => undefined : out,
    notes,
  );
  if (!flags.commit) return 0;
  const store = await openStore(storeOptions(flags, env));
  try {
    const actor: Actor = {
      userId: env.USER ? `cli:${env.USER}` : 'cli',
      name: 'Import fra kommandolinjen',
      role: 'coordinator',
      organisationId: HOD_ID,
    };
    const outcome = await assignPlanned(
      new OppdragCommandHandler(store, systemClock),
      plan.oppdrag.map(toAssignData),
      actor,
      randomUUID(),
    );
    const summary = {
      assigned: outcome.assigned.length,
      unchanged: outcome.unchanged.length,
      sourcesAdded: outcome.sourcesAdded,
      refused: outcome.refused,
    };
    if (json) out(JSON.stringify({ plan, commit: summary }, null, 2));
    else {
      out(
        `assigned ${summary.assigned}, unchanged ${summary.unchanged}, sources added ${summary.sourcesAdded.length}, refused ${summary.refused.length}`,
      );
      for (const s of summary.sourcesAdded)
        out(`  ${s.oppdragId}: already assigned; adds the source ${s.letter}`);
      for (const r of summary.refused) out(`  refused ${r.oppdragId}: ${r.code} ${r.message}`);
    }
    return summary.refused.length > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}

/** `mint-token --secret S --role R --org O [--user U] [--name N] [--expires 12h]`. */
export async function mintTokenCommand(args: string[], out: Out, env: Env): Promise<number> {
  const { values: flags } = parseCommandLine(args, {
    secret: { type: 'string' },
    role: { type: 'string' },
    org: { type: 'string' },
    user: { type: 'string' },
    name: { type: 'string' },
    expires: { type: 'string' },
    issuer: { type: 'string' },
  });
  const secret = flags.secret ?? env.JWT_SECRET;
  if (!secret || secret.length < 32)
    throw new UsageError('--secret (or JWT_SECRET) must be at least 32 characters');
  const role = flags.role as Role | undefined;
  if (role !== 'coordinator' && role !== 'rhf' && role !== 'auditor')
    throw new UsageError('--role must be coordinator, rhf or auditor');
  const org = flags.org ?? (role === 'rhf' ? '' : HOD_ID);
  if (role === 'rhf' && !isRhfId(org))
    throw new UsageError('--org must be one of the four RHF ids for an rhf user');
  if (role === 'coordinator' && !isCoordinator({ role, organisationId: org }))
    throw new UsageError(`--org must be ${HOD_ID} for a coordinator: coordinators are users of HOD`);
  const user = flags.user ?? `${role}@${org}`;
  const expires = flags.expires ?? DEFAULT_TOKEN_LIFETIME;
  const unit = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 } as const;
  const match = /^(\d+)([smhdw])$/.exec(expires);
  if (!match) throw new UsageError('--expires must look like 30m, 12h or 7d');
  const seconds = Number(match[1]) * unit[match[2] as keyof typeof unit];
  // The API refuses a token that lives longer than its TOKEN_MAX_LIFETIME_S (12 h unless configured).
  const maxSeconds = Number(env.TOKEN_MAX_LIFETIME_S ?? 12 * 3600);
  if (seconds < 1 || seconds > maxSeconds)
    throw new UsageError(
      `--expires must be from 1s to ${maxSeconds}s (TOKEN_MAX_LIFETIME_S): the API refuses longer-lived tokens`,
    );
  const token = await mintToken(
    secret,
    { userId: user, name: flags.name ?? user, role, organisationId: org },
    { issuer: flags.issuer ?? TOKEN_ISSUER, expiresIn: `${seconds}s` },
  );
  out(token);
  return 0;
}

/**
 * `rebuild [--verify]`: forget this instance's read models and replay all history. With --verify, replay
 * into memory instead and compare with the stored read models, view by view (nothing is changed).
 */
export async function rebuildCommand(args: string[], out: Out, env: Env): Promise<number> {
  const { values: flags } = parseCommandLine(args, { verify: { type: 'boolean' }, ...STORE_OPTIONS });
  const options = storeOptions(flags, env);
  const store = await openStore(options);
  try {
    const started = performance.now();
    const fresh = new OppdragProjector(store, new ReadModelStore(':memory:'), { retry: false });
    if (!flags.verify) {
      const readModels = new ReadModelStore(options.readModels);
      const projector = new OppdragProjector(store, readModels, { retry: false });
      await projector.rebuild();
      await projector.stop();
      const digest = digestViews(projector.allViews());
      readModels.close();
      out(
        `rebuilt ${projector.summaries.size} oppdrag to ${positionText(projector.position())} in ${Math.round(performance.now() - started)} ms`,
      );
      out(`digest ${digest}`);
      return 0;
    }
    const storedModels = new ReadModelStore(options.readModels);
    const stored = new Map([...storedModels.allViews()].map((v) => [v.oppdrag.id, v]));
    const checkpoint = storedModels.checkpoint();
    storedModels.close();
    await fresh.start();
    await fresh.stop();
    const differing = [...new Set([...stored.keys(), ...fresh.summaries.keys()])].filter(
      (id) => JSON.stringify(stored.get(id)) !== JSON.stringify(fresh.view(id)),
    );
    out(
      `replayed ${fresh.summaries.size} oppdrag to ${positionText(fresh.position())} in ${Math.round(performance.now() - started)} ms`,
    );
    out(`stored read models: ${stored.size} oppdrag at checkpoint ${checkpoint ?? 'none'}`);
    out(`digest replayed ${digestViews(fresh.allViews())}`);
    out(`digest stored   ${digestViews(stored.values())}`);
    if (differing.length === 0) {
      out('identical: the replay rebuilds exactly the stored read models');
      return 0;
    }
    out(
      `differ in ${differing.length} oppdrag (the stored read models may be behind the store): ${differing.slice(0, 20).join(', ')}`,
    );
    return 2;
  } finally {
    await store.close();
  }
}

/** `export-audit [--out FILE]`: every oppdrag event with all its metadata, as JSON lines, oldest first. */
export async function exportAuditCommand(args: string[], out: Out, env: Env): Promise<number> {
  const { values: flags } = parseCommandLine(args, { out: { type: 'string' }, ...STORE_OPTIONS });
  const store = await openStore(storeOptions(flags, env));
  const file = flags.out;
  const sink = file ? createWriteStream(file) : null;
  const write = (line: string): void => {
    if (sink) sink.write(`${line}\n`);
    else out(line);
  };
  let after: Position | null = null;
  let count = 0;
  try {
    for (;;) {
      const batch = await store.readAll({ after, maxCount: 5000 });
      if (batch.length === 0) break;
      for (const recorded of batch) {
        after = recorded.position;
        if (!isOppdragStream(recorded.streamId)) continue;
        const stored = toStoredOppdragEvent(recorded);
        write(
          JSON.stringify({
            position: formatPosition(stored.position),
            oppdragId: stored.oppdragId,
            revision: stored.revision,
            eventId: stored.eventId,
            type: stored.event.type,
            recordedAt: stored.recordedAt,
            metadata: stored.metadata,
            data: stored.event.data,
          }),
        );
        count++;
      }
    }
  } finally {
    await store.close();
    if (sink) await new Promise<void>((resolve) => sink.end(resolve));
  }
  if (file) out(`exported ${count} events to ${file}`);
  return 0;
}

const positionText = (p: Position | null): string => (p ? `position ${formatPosition(p)}` : 'an empty store');
