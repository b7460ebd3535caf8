/**
 * The basic-auth credentials the user typed on the login page (`user:password`), kept base64
 * encoded in localStorage under the key Prefect's own UI uses, so a user switching between the two
 * UIs on one origin logs in once.
 */
const STORAGE_KEY = 'prefect-password';

export function storedCredentials(): string | null {
  return localStorage.getItem(STORAGE_KEY);
}

export function storeCredentials(plain: string): void {
  localStorage.setItem(STORAGE_KEY, btoa(plain));
}

export function forgetCredentials(): void {
  localStorage.removeItem(STORAGE_KEY);
}
