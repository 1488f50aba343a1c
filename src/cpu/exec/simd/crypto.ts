// Placeholder: rows of this class are added by its owner.
import type { Row } from '../../decode/decoder';

export const CRYPTO_ROWS: Row[] = [];
