import { installLogger } from '../../workers/logging';

// Temporal's worker logs state changes at INFO; tests only want warnings and errors.
installLogger('WARN');
