import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { CoreClientProvider } from '../app/CoreClientContext.js';
import { FakeClient } from '../testing/fakeClient.js';
import { study } from '../testing/fixtures.js';
import { useCoreQuery } from './useCoreQuery.js';

afterEach(cleanup);

function Probe({ studyId }: { studyId: number | null }) {
  const q = useCoreQuery('studies:get', studyId === null ? null : { studyId }, { refreshOn: ['studies:onDidChange'] });
  return <p data-testid="out">{`${q.status}:${q.data?.patientName ?? '-'}:${q.error?.message ?? ''}`}</p>;
}

function detail(id: number, name: string) {
  return { ...study({ id, patientName: name }), birthDate: null, referringPhysician: '', series: [], identityConflicts: [] };
}

describe('useCoreQuery', () => {
  it('asks again when the input changes, never shows the previous input’s answer, and ignores late answers', async () => {
    let releaseFirst: () => void = () => undefined;
    const client = new FakeClient({
      'studies:get': ({ studyId }) =>
        studyId === 1 ? new Promise((r) => (releaseFirst = () => r(detail(1, 'Slow')))) : detail(2, 'Fast'),
    });
    let setId: (n: number | null) => void = () => undefined;
    function Host() {
      const [id, set] = useState<number | null>(1);
      setId = set;
      return <Probe studyId={id} />;
    }
    render(
      <CoreClientProvider client={client}>
        <Host />
      </CoreClientProvider>,
    );
    expect(screen.getByTestId('out').textContent).toBe('loading:-:');
    act(() => setId(2));
    await waitFor(() => expect(screen.getByTestId('out').textContent).toBe('ready:Fast:'));
    // The answer to the first question arrives after the second one's: it is dropped.
    await act(async () => releaseFirst());
    expect(screen.getByTestId('out').textContent).toBe('ready:Fast:');
    act(() => setId(null));
    expect(screen.getByTestId('out').textContent).toBe('idle:-:');
  });

  it('turns a failure envelope into an error state and asks again on a named event', async () => {
    let name = 'First';
    const client = new FakeClient({
      'studies:get': ({ studyId }) => {
        if (studyId === 9) throw new Error('no study with id 9');
        return detail(studyId, name);
      },
    });
    const { rerender } = render(
      <CoreClientProvider client={client}>
        <Probe studyId={9} />
      </CoreClientProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('out').textContent).toBe('error:-:no study with id 9'));
    rerender(
      <CoreClientProvider client={client}>
        <Probe studyId={3} />
      </CoreClientProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('out').textContent).toBe('ready:First:'));
    name = 'Renamed';
    act(() => client.emit('studies:onDidChange', { studyIds: [3] }));
    await waitFor(() => expect(screen.getByTestId('out').textContent).toBe('ready:Renamed:'));
    expect(client.callsOf('studies:get')).toHaveLength(3);
  });
});
