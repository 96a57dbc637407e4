export { healthcheck } from './healthcheck';
