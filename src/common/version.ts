/** The one place the product version lives; every entry point prints it. */
export const SKIFF_VERSION = '0.1.0';
