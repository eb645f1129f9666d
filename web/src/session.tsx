import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError, onUnauthorized, setBrandId, setCsrfToken, type Membership, type Session } from './api.ts';

export type SessionState =
  | { status: 'loading' }
  | { status: 'unavailable'; message: string }
  | { status: 'needs-setup' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; session: Session; brandId: string | null };

interface SessionApi {
  state: SessionState;
  /** Adopt a session returned by setup or sign-in. */
  begin(session: Session, preferredBrandId?: string): void;
  signOut(): Promise<void>;
  switchBrand(brandId: string): void;
  /** Re-read the session (e.g. after creating a brand), optionally switching to a brand. */
  refresh(preferredBrandId?: string): Promise<void>;
  retry(): void;
}

const SessionContext = createContext<SessionApi | null>(null);
const BRAND_KEY = 'tidings.brand';

function chooseBrand(memberships: Membership[], preferred?: string | null): string | null {
  const wanted = preferred ?? localStorage.getItem(BRAND_KEY);
  return memberships.find((m) => m.brandId === wanted)?.brandId ?? memberships[0]?.brandId ?? null;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const begin = useCallback((session: Session, preferredBrandId?: string) => {
    const brandId = chooseBrand(session.memberships, preferredBrandId);
    setCsrfToken(session.csrfToken);
    setBrandId(brandId);
    if (brandId) localStorage.setItem(BRAND_KEY, brandId);
    setState({ status: 'signed-in', session, brandId });
  }, []);

  const end = useCallback(() => {
    setCsrfToken(null);
    setBrandId(null);
    queryClient.clear();
    setState({ status: 'signed-out' });
  }, [queryClient]);

  const boot = useCallback(async () => {
    setState({ status: 'loading' });
    try {
      if ((await api.setupStatus()).needsSetup) return setState({ status: 'needs-setup' });
      begin(await api.session());
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return setState({ status: 'signed-out' });
      setState({ status: 'unavailable', message: err instanceof Error ? err.message : String(err) });
    }
  }, [begin]);

  useEffect(() => {
    onUnauthorized(end);
    void boot();
    return () => onUnauthorized(null);
  }, [boot, end]);

  const value = useMemo<SessionApi>(
    () => ({
      state,
      begin,
      async signOut() {
        await api.signOut();
        end();
      },
      switchBrand(brandId) {
        setBrandId(brandId);
        localStorage.setItem(BRAND_KEY, brandId);
        setState((s) => (s.status === 'signed-in' ? { ...s, brandId } : s));
      },
      async refresh(preferredBrandId) {
        begin(await api.session(), preferredBrandId);
      },
      retry: () => void boot(),
    }),
    [state, begin, end, boot],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession must be used inside <SessionProvider>');
  return ctx;
}

/** For pages behind the sign-in guard: the session, the current brand and the user's role in it. */
export function useSignedIn() {
  const { state, ...rest } = useSession();
  if (state.status !== 'signed-in') throw new Error('useSignedIn used outside a signed-in route');
  const membership = state.session.memberships.find((m) => m.brandId === state.brandId) ?? null;
  // Managers and editors may write and send (S1.2); commenters and viewers only read.
  const canWrite = membership?.role === 'manager' || membership?.role === 'editor';
  return { ...rest, session: state.session, user: state.session.user, brandId: state.brandId, membership, isManager: membership?.role === 'manager', canWrite };
}
