/** MOCK_MAX_FILE_MB's default: a larger file is refused rather than parsed. */
export const DEFAULT_MAX_FILE_MB = 256;
