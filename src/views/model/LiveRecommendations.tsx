/** The backbone's top-10 for the selected user, computed live in the worker; target items marked. */
import { useEffect, type ReactElement } from 'react';
import { dayFromIso, dayOf } from '../../domain/events';
import { useBackboneStore } from '../../state/backboneStore';
import { useSelectionStore } from '../../state/selectionStore';
import { useSnapshotStore } from '../../state/snapshotStore';

const TOP_N = 10;

export function LiveRecommendations(): ReactElement | null {
  const userId = useSelectionStore((s) => s.userId);
  const user = useSnapshotStore((s) => (userId === null ? undefined : s.loaded?.index.usersById.get(userId)));
  const ready = useBackboneStore((s) => s.status.kind === 'ready');
  const provider = useBackboneStore((s) => (s.status.kind === 'ready' ? s.status.model.provider : null));
  const recommendations = useBackboneStore((s) => s.recommendations);
  const error = useBackboneStore((s) => s.recommendationError);
  const reasoning = useBackboneStore((s) => s.reasoning);
  // The reasoner's complement statistics are over every user: only a whole (JSON) snapshot has them at hand.
  const users = useSnapshotStore((s) => s.loaded?.full?.users);
  const hasReasoning = useSnapshotStore((s) => (userId === null ? false : (s.loaded?.index.reasoningByUser.has(userId) ?? false)));

  useEffect(() => {
    if (!ready || !user) return;
    // The input is what the evaluation sees: every event before the target day.
    const targetDay = user.target ? dayFromIso(user.target.day) : Infinity;
    void useBackboneStore.getState().recommend(user.id, user.events.filter((e) => dayOf(e.time) < targetDay), TOP_N);
  }, [ready, user, provider]);

  if (!ready || !user) return null;
  const targets = new Set(user.target?.items ?? []);
  const targetDay = user.target ? dayFromIso(user.target.day) : Infinity;
  const input = user.events.filter((e) => dayOf(e.time) < targetDay);
  const reasoningHere = reasoning?.userId === user.id ? reasoning : null;
  const current = recommendations?.userId === user.id ? recommendations : null;
  return (
    <section className="live-recs" data-testid="live-recommendations" aria-label="Live backbone recommendations">
      <h3>
        Backbone, live ({provider}): next purchase, top {TOP_N}
      </h3>
      <div className="live-recs-reasoner">
        <button
          type="button"
          disabled={reasoningHere?.status === 'running' || input.length === 0 || !users}
          onClick={() => users && void useBackboneStore.getState().reason(user.id, input, users)}
          title={
            users
              ? 'Roles, intent evolution, counterfactual paths and candidates for this user, computed in the backbone worker'
              : "The reasoner needs statistics over every user; this Parquet snapshot is read a user at a time. Open its JSON form to run it."
          }
        >
          {hasReasoning ? 'Rerun the reasoner' : 'Run the reasoner'}
        </button>
        {reasoningHere?.status === 'running' && (
          <span role="status" data-testid="reasoner-progress">
            reasoning (evidence, counterfactual rollouts)… <progress />
          </span>
        )}
        {reasoningHere?.status === 'failed' && <span role="alert">reasoner failed: {reasoningHere.message}</span>}
      </div>
      {error && <p role="alert">{error}</p>}
      {current ? (
        <>
          <p className="live-recs-note">
            P(next action = buy) {(100 * (current.actionProbs[3] ?? 0)).toFixed(1)}% · copy gate {(100 * current.copyGate).toFixed(0)}%
          </p>
          <ol>
            {current.items.map((item) => (
              <li key={item.item} data-testid="live-rec" data-item={item.item} data-score={item.score} className={targets.has(item.item) ? 'live-recs-hit' : undefined}>
                <code>{item.item}</code> {(100 * item.score).toFixed(2)}%
                <span className="live-recs-parts">
                  {' '}(generative {(100 * item.generative).toFixed(2)}%, copy {(100 * item.copy).toFixed(2)}%)
                </span>
                {targets.has(item.item) && <span className="live-recs-tag"> target</span>}
              </li>
            ))}
          </ol>
        </>
      ) : (
        !error && <p role="status">computing…</p>
      )}
    </section>
  );
}
