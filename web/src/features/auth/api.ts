// The `auth` module's calls beyond the session itself (login, refresh and /auth/me are in lib/).
import { api } from '../../lib/api';

export const changePassword = (current_password: string, new_password: string) =>
  api.post<void>('/auth/password', { current_password, new_password });
