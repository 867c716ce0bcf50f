import { EXPORT_FORMATS, startExport } from '../../api/datasets/exportDataset';
import { Menu } from '../../ui';

export function ExportMenu({
  datasetId,
  onError,
}: {
  datasetId: string;
  onError: (e: unknown) => void;
}) {
  return (
    <Menu
      label="Export"
      items={EXPORT_FORMATS.map(({ format, label }) => ({
        key: format,
        label,
        onSelect: () => {
          onError(null);
          startExport(datasetId, format).catch(onError);
        },
      }))}
    />
  );
}
