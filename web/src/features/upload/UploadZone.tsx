import { useId, useRef, useState, type DragEvent } from 'react';
import { acceptedFiles } from './upload.utils';
import { startUploads } from './uploadStore';

/** Drop files here or browse; several files at once. Keyboard users use the browse button. */
export function UploadZone({ projectId }: { projectId: string }) {
  const [active, setActive] = useState(false);
  const depth = useRef(0);
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);

  const onFiles = (list: FileList | null) => {
    const files = acceptedFiles(list);
    if (files.length > 0) startUploads(projectId, files);
  };

  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

  return (
    <div
      className={`dropzone${active ? ' dropzone--active' : ''}`}
      data-testid="dropzone"
      onDragEnter={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current += 1;
        setActive(true);
      }}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setActive(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        depth.current = 0;
        setActive(false);
        onFiles(e.dataTransfer?.files ?? null);
      }}
    >
      <svg
        className="dropzone__icon"
        width="32"
        height="32"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
      >
        <path d="M12 15V4" />
        <path d="m7 9 5-5 5 5" />
        <path d="M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3" />
      </svg>
      <p className="dropzone__title">Drop files to upload</p>
      <p className="dropzone__hint">
        CSV, TSV, Excel, JSON, Parquet — several at once. Large files resume if interrupted.
      </p>
      <label htmlFor={inputId} className="btn btn--primary btn--md">
        Browse files
      </label>
      <input
        ref={inputRef}
        id={inputId}
        className="visually-hidden"
        type="file"
        multiple
        aria-label="Choose files to upload"
        onChange={(e) => {
          onFiles(e.target.files);
          e.target.value = '';
        }}
      />
    </div>
  );
}
