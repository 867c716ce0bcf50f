import { useMemo, useState } from 'react';
import { useMe } from '../../api/auth/useMe';
import { useApplyClean } from '../../api/cleaning/useApplyClean';
import { usePreviewClean } from '../../api/cleaning/usePreviewClean';
import { errorMessage } from '../../api/errors';
import type { CleanOperation, CleanSuggestion } from '../../api/types';
import { canWriteData } from '../auth/permissions.utils';
import { useDatasetContext } from '../datasets/datasetContext';
import { HistoryTimeline } from './HistoryTimeline';
import { describeOperation, draftFromOperation, type OperationDraft } from './operations.utils';
import { PreviewPanel } from './PreviewPanel';
import { RecipeBuilder, type StepError } from './RecipeBuilder';
import { CopyRecipeButton, ImportRecipeDialog } from './RecipeTransfer';
import { serializeRecipe, serverErrorTarget } from './recipe.utils';
import { fromDatasetColumns } from './schema.utils';
import { previewStaleReason } from './clean.utils';
import { SuggestionsPanel } from './SuggestionsPanel';
import { useHeadJob } from './useHeadJob';

interface PreviewRequest {
  source: 'recipe' | 'suggestion';
  label: string;
  operations: CleanOperation[];
  suggestionId: string | null;
}

/** The Clean tab: suggestions, the recipe builder, the preview with Apply, and history. */
export default function CleanView() {
  const { dataset } = useDatasetContext();
  const me = useMe();
  const canWrite = canWriteData(me.data);

  const [drafts, setDraftsState] = useState<OperationDraft[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [request, setRequest] = useState<PreviewRequest | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const preview = usePreviewClean(dataset.id);
  const apply = useApplyClean(dataset.id);

  const initialSchema = useMemo(() => fromDatasetColumns(dataset.columns), [dataset.columns]);
  const recipe = useMemo(() => serializeRecipe(drafts, initialSchema), [drafts, initialSchema]);

  const job = useHeadJob(dataset.id, () => {
    if (request?.source === 'recipe') setDraftsState([]);
    setRequest(null);
    preview.reset();
    apply.reset();
  });

  const setDrafts = (next: OperationDraft[]) => {
    setDraftsState(next);
    // A server error about the old steps no longer applies.
    if (request?.source === 'recipe' && preview.isError) preview.reset();
    if (request?.source === 'recipe' && apply.isError) apply.reset();
  };

  const runPreview = (next: PreviewRequest) => {
    setRequest(next);
    job.reset();
    apply.reset();
    preview.mutate(next.operations);
  };

  const previewRecipe = () => {
    setAttempt((a) => a + 1);
    if (!recipe.valid) return;
    runPreview({
      source: 'recipe',
      label: `recipe, ${drafts.length} step${drafts.length === 1 ? '' : 's'}`,
      operations: recipe.operations,
      suggestionId: null,
    });
  };

  const previewSuggestion = (s: CleanSuggestion) =>
    runPreview({
      source: 'suggestion',
      label: describeOperation(s.operation),
      operations: [s.operation],
      suggestionId: s.id,
    });

  const addSuggestion = (s: CleanSuggestion) => {
    try {
      setDrafts([...drafts, draftFromOperation(s.operation)]);
    } catch {
      // Unknown types cannot be added (the button is disabled for them).
    }
  };

  // Server validation errors name a step of what was sent: show them on the recipe's step.
  const failed = preview.error ?? apply.error;
  const target =
    request?.source === 'recipe' ? serverErrorTarget(failed, request.operations.length) : null;
  const serverError: StepError | null = target
    ? { ...target, message: errorMessage(failed) }
    : null;

  const staleReason = preview.data
    ? previewStaleReason({
        previewVersion: preview.data.version,
        headVersion: dataset.version,
        previewed: request?.source === 'recipe' ? request.operations : null,
        current: recipe.operations,
      })
    : null;

  return (
    <div className="clean">
      {!canWrite && me.data && (
        <p className="alert alert--info" role="note">
          You can read suggestions and history. Cleaning needs edit access to data (the data:write
          permission).
        </p>
      )}
      <div className={canWrite ? 'clean__layout' : 'clean__layout clean__layout--read'}>
        <div className="clean__side">
          <SuggestionsPanel
            datasetId={dataset.id}
            canWrite={canWrite}
            activeId={request?.suggestionId ?? null}
            previewBusy={preview.isPending}
            onPreview={previewSuggestion}
            onAdd={addSuggestion}
          />
          {canWrite && (
            <RecipeBuilder
              drafts={drafts}
              onDraftsChange={setDrafts}
              recipe={recipe}
              showErrors={attempt > 0}
              attempt={attempt}
              serverError={serverError}
              onPreview={previewRecipe}
              previewBusy={preview.isPending && request?.source === 'recipe'}
              onImport={() => setImportOpen(true)}
            />
          )}
        </div>
        <div className="clean__main">
          {canWrite && (
            <PreviewPanel
              key={request ? JSON.stringify(request.operations) : 'none'}
              request={request}
              preview={preview.data}
              pending={preview.isPending}
              error={preview.error}
              staleReason={staleReason}
              onApply={(message) => {
                if (!request || !preview.data) return;
                apply.mutate(
                  {
                    operations: request.operations,
                    base_version: preview.data.version,
                    ...(message ? { message } : {}),
                  },
                  { onSuccess: ({ job: j }) => job.start(j.id) },
                );
              }}
              applyBusy={apply.isPending}
              applyError={apply.error}
              job={job.outcome}
            />
          )}
          <HistoryTimeline
            datasetId={dataset.id}
            headVersion={dataset.version}
            canWrite={canWrite}
            meId={me.data?.user.id ?? null}
            tools={<CopyRecipeButton datasetId={dataset.id} />}
          />
        </div>
      </div>
      <ImportRecipeDialog
        open={importOpen}
        onClose={() => setImportOpen(false)}
        onImport={(next, mode) => {
          setDrafts(mode === 'replace' ? next : [...drafts, ...next]);
          setImportOpen(false);
        }}
      />
    </div>
  );
}
