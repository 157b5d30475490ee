// The `auth` module's calls beyond the session itself (login, refresh and /auth/me are in lib/).
import { http } from '../../lib/api';

export const changePassword = (current_password: string, new_password: string) =>
  http.post('/auth/password', { body: { current_password, new_password } });

// Two-factor sign-in (TOTP) for admin and board accounts.
export const getMfaStatus = () => http.get('/auth/mfa');
export const startMfaSetup = () => http.post('/auth/mfa/setup');
export const confirmMfa = (code: string) => http.post('/auth/mfa/confirm', { body: { code } });
export const disableMfa = (password: string, code: string) => http.post('/auth/mfa/disable', { body: { password, code } });
export const getMfaPolicy = () => http.get('/auth/mfa/policy');
export const setMfaPolicy = (mfa_required: boolean) => http.put('/auth/mfa/policy', { body: { mfa_required } });

// The second step of a sign-in, with the challenge the password step gave.
export const verifyMfa = (challenge_token: string, code: string) =>
  http.post('/auth/mfa/verify', { body: { challenge_token, code } });
export const startEnrolment = (challenge_token: string) => http.post('/auth/mfa/enrol/setup', { body: { challenge_token } });
export const finishEnrolment = (challenge_token: string, code: string) =>
  http.post('/auth/mfa/enrol/confirm', { body: { challenge_token, code } });
