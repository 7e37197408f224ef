import { expect, it } from 'vitest';
import { spellLanguages } from './spell';

it('checks spelling in the preferred languages Chromium has dictionaries for, by base language when needed', () => {
  const available = ['en-US', 'en-GB', 'fr-FR', 'de-DE', 'pt-BR', 'es'];
  expect(spellLanguages(['fr-CA', 'en-GB'], available)).toEqual(['fr-FR', 'en-GB']);
  expect(spellLanguages(['es-MX', 'pt_BR', 'de', 'en-US'], available)).toEqual(['es', 'pt-BR', 'de-DE']);
  expect(spellLanguages(['ja-JP'], available)).toEqual(['en-US']);
  expect(spellLanguages([], [])).toEqual(['en-US']);
});
