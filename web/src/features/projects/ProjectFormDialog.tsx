import { useState, type FormEvent } from 'react';
import { useCreateProject } from '../../api/projects/useCreateProject';
import { useUpdateProject } from '../../api/projects/useUpdateProject';
import type { Project } from '../../api/types';
import { Button, Dialog, InlineError, TextField } from '../../ui';
import { validateProjectName } from './projects.utils';

/** Create (no `project`) or rename/edit (with `project`). */
export function ProjectFormDialog({
  open,
  project,
  onClose,
}: {
  open: boolean;
  project?: Project | null;
  onClose: () => void;
}) {
  return (
    <Dialog open={open} title={project ? 'Rename project' : 'New project'} onClose={onClose}>
      {open && (
        <ProjectForm key={project?.id ?? 'new'} project={project ?? null} onClose={onClose} />
      )}
    </Dialog>
  );
}

function ProjectForm({ project, onClose }: { project: Project | null; onClose: () => void }) {
  const create = useCreateProject();
  const update = useUpdateProject();
  const [name, setName] = useState(project?.name ?? '');
  const [description, setDescription] = useState(project?.description ?? '');
  const [nameError, setNameError] = useState<string | null>(null);
  const mutation = project ? update : create;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const err = validateProjectName(name);
    setNameError(err);
    if (err) return;
    if (project) {
      update.mutate(
        { id: project.id, input: { name: name.trim(), description: description.trim() } },
        { onSuccess: onClose },
      );
    } else {
      create.mutate(
        { name: name.trim(), description: description.trim() || undefined },
        { onSuccess: onClose },
      );
    }
  };

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <InlineError error={mutation.error} />
      <TextField
        label="Name"
        name="name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={nameError}
        autoFocus
      />
      <TextField
        label="Description"
        name="description"
        hint="Optional"
        value={description}
        onChange={(e) => setDescription(e.target.value)}
      />
      <div className="form__actions">
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="primary" busy={mutation.isPending}>
          {project ? 'Save' : 'Create project'}
        </Button>
      </div>
    </form>
  );
}
