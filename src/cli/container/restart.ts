/** `skiff restart`: POST /containers/{id}/restart with `-t/--timeout` and `-s/--signal`. */
import { stopCommand } from './stop.js';

export default stopCommand('restart', 'Restart one or more containers');
