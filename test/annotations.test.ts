import { describe, expect, it } from 'vitest';
import { annotationAgreement } from '../src/episodes/annotations.js';

describe('annotationAgreement', () => {
  const annotated = { annotations: { mistake_agent: 'coder', mistake_step: '2' } };

  it('compares the first error with mistake_agent and mistake_step; null where either is missing', () => {
    expect(annotationAgreement(annotated, { id: 'm2', index: 2, agent: 'coder', strategy: 'label' })).toEqual({ agent: true, step: true });
    expect(annotationAgreement(annotated, { id: 'm1', index: 1, agent: 'Coder', strategy: 'label' })).toEqual({ agent: false, step: false });
    expect(annotationAgreement(annotated, null)).toEqual({ agent: null, step: null });
    expect(annotationAgreement({}, { id: 'm1', index: 1, agent: 'coder', strategy: 'label' })).toEqual({ agent: null, step: null });
  });

  it('refuses a missing episode or a first error without agent and index instead of a TypeError or a disagreement', () => {
    expect(() => annotationAgreement(null as never, null)).toThrow(/^annotationAgreement: episode: expected an episode \(an object with annotations\), got null/);
    expect(() => annotationAgreement({ annotations: 'x' } as never, null)).toThrow(/episode\.annotations: expected an object, got "x"/);
    expect(() => annotationAgreement(annotated, {} as never)).toThrow(/firstError: expected null or a first error \{ agent, index, ... \} \(signals\.firstError\), got object/);
    expect(() => annotationAgreement(annotated, undefined as never)).toThrow(/firstError: expected null or a first error/);
  });
});
