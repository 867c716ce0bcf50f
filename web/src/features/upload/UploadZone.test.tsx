// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';

const started: { projectId: string; names: string[] }[] = [];
vi.mock('./uploadStore', () => ({
  startUploads: (projectId: string, files: File[]) =>
    started.push({ projectId, names: files.map((f) => f.name) }),
}));

const { UploadZone } = await import('./UploadZone');

afterEach(() => {
  cleanup();
  started.length = 0;
});

describe('UploadZone', () => {
  it('uploads every dropped file to the project', () => {
    render(<UploadZone projectId="p1" />);
    const zone = screen.getByTestId('dropzone');
    const files = [new File(['a,b\n1,2\n'], 'a.csv'), new File(['x'], 'b.xlsx')];
    const dataTransfer = { files, types: ['Files'], dropEffect: 'none' };
    fireEvent.dragEnter(zone, { dataTransfer });
    expect(zone.className).toContain('dropzone--active');
    fireEvent.drop(zone, { dataTransfer });
    expect(zone.className).not.toContain('dropzone--active');
    expect(started).toEqual([{ projectId: 'p1', names: ['a.csv', 'b.xlsx'] }]);
  });

  it('has a labelled, keyboard-reachable file picker', () => {
    render(<UploadZone projectId="p1" />);
    const input = screen.getByLabelText('Choose files to upload') as HTMLInputElement;
    expect(input.type).toBe('file');
    expect(input.multiple).toBe(true);
    fireEvent.change(input, { target: { files: [new File(['1'], 'c.json')] } });
    expect(started).toEqual([{ projectId: 'p1', names: ['c.json'] }]);
  });
});
