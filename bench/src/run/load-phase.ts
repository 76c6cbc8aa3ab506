import type { GeneratedData } from '../data/generate.js';
import { todayOf } from '../data/lifecycle.js';
import { log } from '../log.js';
import type { ApiProcess } from '../proc.js';
import type { Profile } from '../profile.js';
import {
  coordinatorToken,
  mutationJobs,
  mutationLoad,
  QUERIES,
  queryLoad,
  queryOnce,
  type LoadResult,
  type MutationResult,
} from '../suites/load.js';

/** Queries and mutations under load against one running API. */
export interface LoadPhaseResult {
  readonly overdue: LoadResult;
  readonly whoLeadsWhat: LoadResult;
  readonly page: LoadResult;
  readonly me: LoadResult;
  readonly sanity: Record<string, number>;
  readonly mutations: MutationResult;
  readonly meDuringMutations: LoadResult;
}

/** Each query once (to see that it answers what the data holds), so that a load of errors is not measured. */
async function sanityCheck(api: ApiProcess, token: string, page: string): Promise<Record<string, number>> {
  const sanity: Record<string, number> = {};
  const overdueData = (await queryOnce(api.url, token, QUERIES.overdue)) as {
    overdue: { totalCount: number };
  };
  sanity.overdueTotal = overdueData.overdue.totalCount;
  const groups = (await queryOnce(api.url, token, QUERIES.whoLeadsWhat)) as {
    whoLeadsWhat: Array<{ totalCount: number }>;
  };
  sanity.whoLeadsWhatTotal = groups.whoLeadsWhat.reduce((n, g) => n + g.totalCount, 0);
  const pageData = (await queryOnce(api.url, token, page)) as { oppdragList: { totalCount: number } };
  sanity.pageTotal = pageData.oppdragList.totalCount;
  await queryOnce(api.url, token, QUERIES.me);
  log(
    `load: overdue ${sanity.overdueTotal}, open by lead ${sanity.whoLeadsWhatTotal}, page of ${sanity.pageTotal}`,
  );
  return sanity;
}

/**
 * The queries under load, then mutations with read-your-writes from several connections, then the trivial
 * query again as the reference for the mutation figures.
 */
export async function loadPhase(
  api: ApiProcess,
  eventsPath: string,
  generated: GeneratedData,
  profile: Profile,
  nowMs: number,
): Promise<LoadPhaseResult> {
  const token = await coordinatorToken();
  const page = QUERIES.page(generated.lastYear - 1);
  const sanity = await sanityCheck(api, token, page);

  const options = profile.query;
  log(`load: queries, ${options.connections} connections × ${options.durationS} s each`);
  const me = await queryLoad(api.url, token, QUERIES.me, options);
  const overdue = await queryLoad(api.url, token, QUERIES.overdue, options);
  const whoLeadsWhat = await queryLoad(api.url, token, QUERIES.whoLeadsWhat, options);
  const pageLoad = await queryLoad(api.url, token, page, options);

  const jobs = await mutationJobs(
    generated.open,
    todayOf(nowMs),
    profile.mutation.connections,
    profile.mutation.maxJobs,
  );
  log(`load: ${jobs.perConnection.flat().length} mutations from ${profile.mutation.connections} connections`);
  const mutations = await mutationLoad(api.url, eventsPath, jobs, profile.mutation);
  // The reference for the mutation figures: the trivial query on the same server right after.
  const meDuringMutations = await queryLoad(api.url, token, QUERIES.me, {
    connections: profile.mutation.connections,
    durationS: Math.max(1, Math.min(profile.query.durationS, Math.round(mutations.durationS))),
  });
  log(
    `load: mutations ${Math.round(mutations.rps)}/s p99 ${mutations.p99} ms, lost ${mutations.lost}, duplicated ${mutations.duplicated}`,
  );
  return { overdue, whoLeadsWhat, page: pageLoad, me, sanity, mutations, meDuringMutations };
}
