/**
 * `skiff volume update`: docker's command for cluster (Swarm CSI) volumes. Skiff has no cluster
 * volumes, so like docker against a non-Swarm daemon it inspects the volume and refuses.
 */
import { StatusError, type Command } from '../framework/command.js';

const command: Command = {
  usage: '[OPTIONS] [VOLUME]',
  short: 'Update a volume (cluster volumes only)',
  // Cluster volumes only: docker lists it only when the daemon is a swarm manager, which skiffd never is.
  hidden: true,
  flags: [{ long: 'availability', kind: 'string', help: 'Cluster Volume availability ("active", "pause", "drain")', default: 'active' }],
  args: { min: 1, max: 1 },
  async run(cli, _o, args) {
    const vol = await cli.client.get<{ ClusterVolume?: unknown }>(`/volumes/${encodeURIComponent(args[0]!)}`);
    if (!vol.ClusterVolume) throw new StatusError(1, 'can only update cluster volumes');
    throw new StatusError(1, 'cluster volumes are not supported by skiff');
  },
};
export default command;
