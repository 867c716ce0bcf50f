import { useEffect } from 'react';

/** Sets the browser tab title ("<title> · DataMorph") while the screen is shown. */
export function useDocumentTitle(title: string | null | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · DataMorph` : 'DataMorph';
  }, [title]);
}
