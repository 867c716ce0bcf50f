// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Menu } from './Menu';

afterEach(cleanup);

describe('Menu', () => {
  it('opens from the keyboard, moves with arrows and selects', () => {
    const csv = vi.fn();
    const json = vi.fn();
    render(
      <Menu
        label="Export"
        items={[
          { key: 'csv', label: 'CSV', onSelect: csv },
          { key: 'json', label: 'JSON', onSelect: json },
        ]}
      />,
    );
    const button = screen.getByRole('button', { name: /Export/ });
    expect(button.getAttribute('aria-expanded')).toBe('false');
    fireEvent.keyDown(button, { key: 'ArrowDown' });
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const items = screen.getAllByRole('menuitem');
    expect(document.activeElement).toBe(items[0]);
    fireEvent.keyDown(screen.getByRole('menu'), { key: 'ArrowDown' });
    expect(document.activeElement).toBe(screen.getAllByRole('menuitem')[1]);
    fireEvent.click(screen.getByRole('menuitem', { name: 'JSON' }));
    expect(json).toHaveBeenCalledTimes(1);
    expect(csv).not.toHaveBeenCalled();
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it('closes on Escape and returns focus', () => {
    render(<Menu label="Export" items={[{ key: 'a', label: 'A', onSelect: () => undefined }]} />);
    const button = screen.getByRole('button', { name: /Export/ });
    fireEvent.click(button);
    fireEvent.keyDown(screen.getByRole('menu'), { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(button);
  });
});
