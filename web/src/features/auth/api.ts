// The `auth` module's calls beyond the session itself (login, refresh and /auth/me are in lib/).
import { http } from '../../lib/api';

export const changePassword = (current_password: string, new_password: string) =>
  http.post('/auth/password', { body: { current_password, new_password } });
