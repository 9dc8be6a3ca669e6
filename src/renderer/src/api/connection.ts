// Finds the browser-mode server and its access token from the page the user opened.
export interface BrowserConnection {
  baseUrl: string;
  token: string | null;
}

const TOKEN_STORAGE_KEY = 'gan-workbench.token';

/**
 * Reads the token from `?token=` (the URL `serve` prints), keeps it in session storage so a
 * reload still works, and removes it from the address bar so it does not end up in
 * screenshots, bookmarks or the history.
 */
export function resolveBrowserConnection(
  location: Pick<Location, 'origin' | 'search' | 'pathname' | 'hash'>,
  storage: Pick<Storage, 'getItem' | 'setItem'> | null,
  history: Pick<History, 'replaceState'> | null,
): BrowserConnection {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');

  if (fromUrl) {
    storage?.setItem(TOKEN_STORAGE_KEY, fromUrl);
    params.delete('token');
    const rest = params.toString();
    history?.replaceState(null, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
    return { baseUrl: location.origin, token: fromUrl };
  }

  return { baseUrl: location.origin, token: storage?.getItem(TOKEN_STORAGE_KEY) ?? null };
}
