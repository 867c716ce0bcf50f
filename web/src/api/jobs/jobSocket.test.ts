import { describe, expect, it } from 'vitest';
import { parseJobMessage, wsUrl } from './jobSocket';

describe('job socket', () => {
  it('builds ws and wss URLs from the page location', () => {
    expect(wsUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe(
      'ws://127.0.0.1:8080/api/v1/ws',
    );
    expect(wsUrl({ protocol: 'https:', host: 'dm.example' })).toBe('wss://dm.example/api/v1/ws');
  });

  it('reads job objects, bare or wrapped', () => {
    expect(parseJobMessage('{"id":"j","status":"running","progress":40}')).toMatchObject({
      id: 'j',
      progress: 40,
    });
    expect(parseJobMessage('{"job":{"id":"j","status":"succeeded"}}')).toMatchObject({
      id: 'j',
      status: 'succeeded',
      progress: 0,
    });
    expect(parseJobMessage('{"subscribed":"job:j"}')).toBeNull();
    expect(parseJobMessage('not json')).toBeNull();
    expect(parseJobMessage(new ArrayBuffer(2))).toBeNull();
  });
});
