/**
 * COPY and ADD: sources and a destination, where a source may be a heredoc (`COPY <<EOF /f`)
 * whose content becomes a file named after its delimiter. A heredoc cannot be the destination.
 */
import { chompHeredocContent, parseHeredoc } from '../parser/heredoc.js';
import type { Heredoc } from '../parser/node.js';
import { base, errNoDestinationArgument, type ParseRequest } from './request.js';
import type { Command, SourcesAndDest } from './types.js';

type Of<K extends Command['kind']> = Extract<Command, { kind: K }>;

/** BuildKit's MustParseHeredoc: a marker that does not lex is simply not a heredoc. */
function heredocMarker(word: string): Heredoc | undefined {
  try {
    return parseHeredoc(word);
  } catch {
    return undefined;
  }
}

function sourcesAndDest(req: ParseRequest, cmd: string): SourcesAndDest {
  const srcs = req.args.slice(0, -1);
  const dest = req.args[req.args.length - 1]!;
  if (heredocMarker(dest)) throw new Error(`${cmd} cannot accept a heredoc as a destination`);
  const contents = new Map(req.heredocs.map((h) => [h.name, h.content]));
  const out: SourcesAndDest = { sourcePaths: [], sourceContents: [], destPath: dest };
  for (const src of srcs) {
    const h = heredocMarker(src);
    if (!h) {
      out.sourcePaths.push(src);
      continue;
    }
    const content = contents.get(h.name) ?? '';
    out.sourceContents.push({ path: h.name, data: h.chomp ? chompHeredocContent(content) : content, expand: h.expand });
  }
  return out;
}

export function parseCopy(req: ParseRequest): Of<'copy'> {
  if (req.args.length < 2) throw errNoDestinationArgument('COPY');
  const f = req.flags.string('chown').string('from').string('chmod').bool('link').strings('exclude').bool('parents');
  f.parse();
  return {
    kind: 'copy',
    ...base(req),
    ...sourcesAndDest(req, 'COPY'),
    from: f.str('from'),
    chown: f.str('chown'),
    chmod: f.str('chmod'),
    link: f.isTrue('link'),
    parents: f.isTrue('parents'),
    excludePatterns: f.list('exclude'),
  };
}

export function parseAdd(req: ParseRequest): Of<'add'> {
  if (req.args.length < 2) throw errNoDestinationArgument('ADD');
  const f = req.flags.string('chown').string('chmod').bool('link').bool('keep-git-dir').string('checksum')
    .bool('unpack').strings('exclude');
  f.parse();
  const cmd: Of<'add'> = {
    kind: 'add',
    ...base(req),
    ...sourcesAndDest(req, 'ADD'),
    chown: f.str('chown'),
    chmod: f.str('chmod'),
    link: f.isTrue('link'),
    checksum: f.str('checksum'),
    excludePatterns: f.list('exclude'),
  };
  // Unset and false differ: unset lets ADD decide from the source (archives unpack by default).
  if (f.isUsed('unpack')) cmd.unpack = f.isTrue('unpack');
  if (f.isUsed('keep-git-dir')) cmd.keepGitDir = f.isTrue('keep-git-dir');
  return cmd;
}
