import { describe, expect, it } from 'vitest';
import { AppError, fromWireError, toWireError } from '../../../shared/errors';

describe('errors across a wire (IPC, workers): toWireError and fromWireError', () => {
  it('an AppError comes back with its code and details', () => {
    const sent = new AppError('SIGNER_WRONG_PIN', { triesLeft: 2 });
    const back = fromWireError(structuredClone(toWireError(sent)));
    expect(back).toBeInstanceOf(AppError);
    expect(back.code).toBe('SIGNER_WRONG_PIN');
    expect(back.details).toEqual({ triesLeft: 2 });
  });

  it('anything else crosses as INTERNAL with its message', () => {
    const back = fromWireError(toWireError(new TypeError('x is not a function')));
    expect(back.code).toBe('INTERNAL');
    expect(back.details).toEqual({ message: 'x is not a function' });
  });

  it('a code this side does not know (a newer peer) becomes INTERNAL and keeps the code it had', () => {
    const back = fromWireError({ code: 'SOMETHING_FROM_A_NEWER_VERSION', details: { name: 'a.pdf' } });
    expect(back.code).toBe('INTERNAL');
    expect(back.details).toEqual({ name: 'a.pdf', unknownCode: 'SOMETHING_FROM_A_NEWER_VERSION' });
  });

  it('missing details are an empty set, not undefined', () => {
    expect(fromWireError({ code: 'INTERNAL' }).details).toEqual({});
  });
});
