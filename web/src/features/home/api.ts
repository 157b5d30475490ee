// The home page's one call: the cards of the signed-in user's role.
import { http } from '../../lib/api';
import type { components } from '../../lib/api/schema';

export type Home = components['schemas']['Home'];
export type HomeCard = components['schemas']['HomeCard'];
export type HomeFigure = components['schemas']['HomeFigure'];

export const getHome = () => http.get('/home');
