import type { Octokit } from '@octokit/rest';
import { COMMENT_MARKER } from './comment.js';
import type { GitHubContext } from './context.js';
import { retryTooLong } from './octokit.js';

/** What the comment upsert did. */
export type CommentOutcome = 'created' | 'updated' | 'unchanged' | 'none';

export interface UpsertOptions {
  hasSomethingToSay: boolean;
  marker?: string;
  /** A smaller body, for one retry when GitHub refuses the first as too long (422). */
  smaller?: () => string;
}

/**
 * The login our comment is under, from GraphQL's `viewer`: it answers for a personal token (the user) and
 * for an installation token (a GITHUB_TOKEN's or a custom GitHub App's bot, `<app-slug>[bot]`). REST can't:
 * GET /user is 403 for installation tokens, and GET /app needs the App's JWT. Unknown: GitHub Actions' bot.
 */
export async function tokenLogin(octokit: Octokit): Promise<string> {
  try {
    const { viewer } = await octokit.graphql<{ viewer?: { login?: string } }>('query { viewer { login } }');
    if (viewer?.login) return viewer.login;
  } catch {
    // GraphQL unavailable (some GitHub Enterprise Server setups): assume the Actions bot.
  }
  return 'github-actions[bot]';
}

/**
 * Keeps one comment on the PR: ours is found by the marker AND the author, and updated in place. A new one
 * is created only when there is something to say; never two. Throws on a GitHub fault (the caller warns).
 */
export async function upsertComment(
  octokit: Octokit,
  context: GitHubContext,
  body: string,
  options: UpsertOptions,
): Promise<CommentOutcome> {
  const pr = context.pullRequest;
  if (!pr) return 'none';
  const marker = options.marker ?? COMMENT_MARKER;
  const { owner, repo } = context;
  const login = (await tokenLogin(octokit)).toLowerCase();
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: pr.number,
    per_page: 100,
  });
  const ours = comments.find(
    (c) => c.user?.login?.toLowerCase() === login && (c.body ?? '').trimStart().startsWith(marker),
  );
  if (ours && ours.body === body) return 'unchanged';
  if (!ours && !options.hasSomethingToSay) return 'none';
  const send = (text: string): Promise<unknown> =>
    ours
      ? octokit.rest.issues.updateComment({ owner, repo, comment_id: ours.id, body: text })
      : octokit.rest.issues.createComment({ owner, repo, issue_number: pr.number, body: text });
  await retryTooLong(send, body, options.smaller);
  return ours ? 'updated' : 'created';
}
