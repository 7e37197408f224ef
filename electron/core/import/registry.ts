import { emailImporter } from '../email/importer';
import { xImporter } from '../x/importer';
import type { Importer } from './types';

/** Importers in the order they claim files: the first whose detect() says yes takes a file. */
export const importers: Importer[] = [emailImporter, xImporter];
