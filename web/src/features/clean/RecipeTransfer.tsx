import { useId, useState } from 'react';
import { useFetchRecipe } from '../../api/cleaning/useRecipe';
import { Button, Dialog, InlineError } from '../../ui';
import type { OperationDraft } from './operations.utils';
import { parseRecipeJson, recipeJson } from './recipe.utils';

/**
 * Copies the head's recipe (the operations from version 1 to the head) as JSON. Where the
 * clipboard is not available the JSON opens in a dialog to copy by hand.
 */
export function CopyRecipeButton({ datasetId }: { datasetId: string }) {
  const fetchRecipe = useFetchRecipe(datasetId);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [manual, setManual] = useState<string | null>(null);
  const textId = useId();

  const copy = async () => {
    setBusy(true);
    setNote(null);
    setError(null);
    try {
      const recipe = await fetchRecipe();
      if (recipe.operations.length === 0) {
        setNote('Nothing to copy: the head version has no cleaning steps.');
        return;
      }
      const text = recipeJson(recipe.operations);
      try {
        await navigator.clipboard.writeText(text);
        const n = recipe.operations.length;
        setNote(`Copied the recipe of version ${recipe.version} (${n} step${n === 1 ? '' : 's'}).`);
      } catch {
        setManual(text);
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="copy-recipe">
      <Button size="sm" variant="ghost" busy={busy} onClick={() => void copy()}>
        Copy recipe
      </Button>
      <span className="muted copy-recipe__note" role="status">
        {note}
      </span>
      <InlineError error={error} />
      <Dialog open={manual != null} title="Recipe JSON" onClose={() => setManual(null)}>
        <div className="form">
          <label className="field__label" htmlFor={textId}>
            The clipboard is not available here: select the JSON and copy it.
          </label>
          <textarea
            id={textId}
            className="input recipe-json"
            readOnly
            rows={12}
            value={manual ?? ''}
            onFocus={(e) => e.currentTarget.select()}
          />
          <div className="form__actions">
            <Button variant="primary" onClick={() => setManual(null)}>
              Close
            </Button>
          </div>
        </div>
      </Dialog>
    </div>
  );
}

/** Paste a recipe JSON (what Copy recipe writes, or a bare list of operations). */
export function ImportRecipeDialog({
  open,
  onClose,
  onImport,
}: {
  open: boolean;
  onClose: () => void;
  onImport: (drafts: OperationDraft[], mode: 'append' | 'replace') => void;
}) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  const submit = (mode: 'append' | 'replace') => {
    try {
      const drafts = parseRecipeJson(text);
      setText('');
      setError(null);
      onImport(drafts, mode);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'This recipe cannot be read.');
    }
  };

  return (
    <Dialog open={open} title="Paste a recipe" onClose={onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          submit('append');
        }}
      >
        <div className={`field${error ? ' field--invalid' : ''}`}>
          <label className="field__label" htmlFor={id}>
            Recipe JSON
          </label>
          <textarea
            id={id}
            className="input recipe-json"
            rows={12}
            spellCheck={false}
            value={text}
            placeholder='{"operations": [{"type": "trim_whitespace"}]}'
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : `${id}-hint`}
            onChange={(e) => setText(e.target.value)}
          />
          {error ? (
            <p className="field__error" id={`${id}-error`} role="alert">
              {error}
            </p>
          ) : (
            <p className="field__hint" id={`${id}-hint`}>
              From Copy recipe on any dataset, or a list of operations.
            </p>
          )}
        </div>
        <div className="form__actions">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => submit('replace')} disabled={!text.trim()}>
            Replace recipe
          </Button>
          <Button type="submit" variant="primary" disabled={!text.trim()}>
            Add steps
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
