import packageJson from '../../package.json';

/** The app's version, reported to the server with every push. */
export const APP_VERSION: string = packageJson.version;
