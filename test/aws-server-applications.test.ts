/**
 * The local Identity Center (test/aws/idc_server.py) answers the SSO Admin operations moto lacks for
 * applications and attribute-based access control as the service model says: shapes, errors, pagination,
 * validation. Through the real @aws-sdk/client-sso-admin client, as idc-guard would call them.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import {
  CreateApplicationAssignmentCommand,
  CreateApplicationCommand,
  CreateInstanceAccessControlAttributeConfigurationCommand,
  DeleteApplicationAssignmentCommand,
  DeleteApplicationCommand,
  DeleteInstanceAccessControlAttributeConfigurationCommand,
  DescribeApplicationAssignmentCommand,
  DescribeApplicationCommand,
  DescribeInstanceAccessControlAttributeConfigurationCommand,
  GetApplicationAssignmentConfigurationCommand,
  ListApplicationAssignmentsCommand,
  ListApplicationAssignmentsForPrincipalCommand,
  ListApplicationsCommand,
  ListTagsForResourceCommand,
  PutApplicationAssignmentConfigurationCommand,
  SSOAdminClient,
  UpdateApplicationCommand,
  UpdateInstanceAccessControlAttributeConfigurationCommand,
  paginateListApplicationAssignments,
  paginateListApplications,
  type AccessControlAttribute,
  type Application,
  type ApplicationAssignment,
  type PrincipalType,
} from '@aws-sdk/client-sso-admin';
import { startIdcServer, type IdcServer } from './aws/server.js';
import {
  CUSTOM_APPLICATION_PROVIDER,
  currentInstance,
  seedAccessControlAttributes,
  seedApplication,
  seedClients,
  seedOrganisation,
  seedUser,
} from './aws/seed.js';

const ACCOUNT = '123456789012';
const CATALOG_PROVIDER = 'arn:aws:sso::aws:applicationProvider/catalog/example';
const APPLICATION_ARN = /^arn:aws:sso::123456789012:application\/(ssoins-[0-9a-f]{16})\/apl-[0-9a-f]{16}$/;
/** A well-formed ARN of an application that does not exist. */
const missingApplication = (instanceArn: string) =>
  `arn:aws:sso::${ACCOUNT}:application/${instanceArn.split('/').pop()}/apl-0000000000000000`;

let idc: IdcServer;
let ssoAdmin: SSOAdminClient;
let instanceArn: string;
let identityStoreId: string;

beforeAll(async () => {
  idc = await startIdcServer();
  ssoAdmin = seedClients(idc.endpoint).ssoAdmin;
}, 30_000);
afterAll(async () => {
  ssoAdmin?.destroy();
  await idc?.stop();
});
beforeEach(async () => {
  await idc.reset();
  ({ instanceArn, identityStoreId } = await currentInstance(ssoAdmin));
});

/** Rejects with the SDK error of this name (the server's __type). */
async function rejectsWith(promise: Promise<unknown>, name: string, message?: RegExp): Promise<void> {
  await expect(promise).rejects.toMatchObject({
    name,
    ...(message ? { message: expect.stringMatching(message) } : {}),
  });
}

async function createApplication(name: string, extra: Partial<CreateApplicationCommand['input']> = {}) {
  const { ApplicationArn } = await ssoAdmin.send(
    new CreateApplicationCommand({
      InstanceArn: instanceArn,
      ApplicationProviderArn: CUSTOM_APPLICATION_PROVIDER,
      Name: name,
      ...extra,
    }),
  );
  return ApplicationArn!;
}

async function allApplications(input: Partial<ListApplicationsCommand['input']> = {}, pageSize = 1) {
  const pages: Application[][] = [];
  for await (const page of paginateListApplications(
    { client: ssoAdmin, pageSize },
    { InstanceArn: instanceArn, ...input },
  )) {
    pages.push(page.Applications ?? []);
  }
  return pages;
}

describe('applications', () => {
  test('CreateApplication answers an ARN of the instance, as AWS makes them', async () => {
    const created = await ssoAdmin.send(
      new CreateApplicationCommand({
        InstanceArn: instanceArn,
        ApplicationProviderArn: CUSTOM_APPLICATION_PROVIDER,
        Name: 'Grafana',
      }),
    );
    expect(created.ApplicationArn).toMatch(APPLICATION_ARN);
    expect(created.ApplicationArn!.match(APPLICATION_ARN)![1]).toBe(instanceArn.split('/').pop());
    expect(created.InstanceArn).toBe(instanceArn);
    expect(created.IdentityStoreArn).toBe(
      `arn:aws:identitystore::${ACCOUNT}:identitystore/${identityStoreId}`,
    );
  });

  test('DescribeApplication: what was given, and the defaults for what was not', async () => {
    const before = Date.now();
    const plain = await createApplication('Grafana');
    const full = await createApplication('Wiki', {
      Description: 'The team wiki',
      Status: 'DISABLED',
      PortalOptions: {
        Visibility: 'DISABLED',
        SignInOptions: { Origin: 'APPLICATION', ApplicationUrl: 'https://wiki.example.com/login' },
      },
    });
    const described = await ssoAdmin.send(new DescribeApplicationCommand({ ApplicationArn: plain }));
    const { $metadata: _m, ...fields } = described;
    expect(fields).toEqual({
      ApplicationArn: plain,
      ApplicationProviderArn: CUSTOM_APPLICATION_PROVIDER,
      Name: 'Grafana',
      ApplicationAccount: ACCOUNT,
      InstanceArn: instanceArn,
      IdentityStoreArn: `arn:aws:identitystore::${ACCOUNT}:identitystore/${identityStoreId}`,
      Status: 'ENABLED',
      PortalOptions: { Visibility: 'ENABLED' },
      CreatedDate: expect.any(Date),
      CreatedFrom: 'us-east-1',
    });
    expect(described.CreatedDate!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await ssoAdmin.send(new DescribeApplicationCommand({ ApplicationArn: full }))).toMatchObject({
      Name: 'Wiki',
      Description: 'The team wiki',
      Status: 'DISABLED',
      PortalOptions: {
        Visibility: 'DISABLED',
        SignInOptions: { Origin: 'APPLICATION', ApplicationUrl: 'https://wiki.example.com/login' },
      },
    });
  });

  test('ListApplications pages by MaxResults with NextToken, in creation order', async () => {
    const arns = [];
    for (const name of ['a', 'b', 'c']) arns.push(await createApplication(name));
    const first = await ssoAdmin.send(
      new ListApplicationsCommand({ InstanceArn: instanceArn, MaxResults: 1 }),
    );
    expect(first.Applications?.map((a) => a.ApplicationArn)).toEqual([arns[0]]);
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await ssoAdmin.send(
      new ListApplicationsCommand({ InstanceArn: instanceArn, MaxResults: 2, NextToken: first.NextToken }),
    );
    expect(second.Applications?.map((a) => a.Name)).toEqual(['b', 'c']);
    expect(second.NextToken).toBeUndefined();

    const pages = await allApplications();
    expect(pages.map((page) => page.map((a) => a.Name))).toEqual([['a'], ['b'], ['c']]);
    // The items carry what DescribeApplication answers.
    const { $metadata: _m, ...described } = await ssoAdmin.send(
      new DescribeApplicationCommand({ ApplicationArn: arns[1] }),
    );
    expect(pages[1][0]).toEqual(described);
    // At most 50 a page, the most the model's ApplicationList holds; one page without MaxResults.
    expect((await allApplications({}, 100)).length).toBe(1);
  });

  test('ListApplications pages at most 50 applications', async () => {
    for (let i = 0; i < 51; i++) await createApplication(`app-${i}`);
    const pages = await allApplications({}, 100);
    expect(pages.map((page) => page.length)).toEqual([50, 1]);
  });

  test('ListApplications filters by ApplicationAccount and ApplicationProvider', async () => {
    await createApplication('custom-1');
    await createApplication('catalog-1', { ApplicationProviderArn: CATALOG_PROVIDER });
    await createApplication('custom-2');
    const names = async (Filter: ListApplicationsCommand['input']['Filter']) =>
      (await allApplications({ Filter }, 10)).flat().map((a) => a.Name);
    expect(await names({ ApplicationProvider: CUSTOM_APPLICATION_PROVIDER })).toEqual([
      'custom-1',
      'custom-2',
    ]);
    expect(await names({ ApplicationProvider: CATALOG_PROVIDER })).toEqual(['catalog-1']);
    expect(await names({ ApplicationAccount: ACCOUNT })).toEqual(['custom-1', 'catalog-1', 'custom-2']);
    expect(await names({ ApplicationAccount: '999999999999' })).toEqual([]);
    expect(await names({ ApplicationAccount: ACCOUNT, ApplicationProvider: CATALOG_PROVIDER })).toEqual([
      'catalog-1',
    ]);
    // A NextToken belongs to its filter.
    const first = await ssoAdmin.send(
      new ListApplicationsCommand({
        InstanceArn: instanceArn,
        MaxResults: 1,
        Filter: { ApplicationProvider: CUSTOM_APPLICATION_PROVIDER },
      }),
    );
    await rejectsWith(
      ssoAdmin.send(
        new ListApplicationsCommand({ InstanceArn: instanceArn, MaxResults: 1, NextToken: first.NextToken }),
      ),
      'ValidationException',
      /NextToken/,
    );
  });

  test('names need not be unique (AWS documents no uniqueness)', async () => {
    const one = await createApplication('Same');
    const two = await createApplication('Same');
    expect(one).not.toBe(two);
    expect((await allApplications({}, 10)).flat().map((a) => a.Name)).toEqual(['Same', 'Same']);
  });

  test('ClientToken: a retry answers the first application; other parameters are a mismatch', async () => {
    const one = await createApplication('Retried', { ClientToken: 'token-1' });
    expect(await createApplication('Retried', { ClientToken: 'token-1' })).toBe(one);
    expect((await allApplications({}, 10)).flat()).toHaveLength(1);
    await rejectsWith(createApplication('Other', { ClientToken: 'token-1' }), 'IdempotentParameterMismatch');
    // The SDK sends a fresh token when the caller gives none: two calls, two applications.
    await createApplication('Untokened');
    await createApplication('Untokened');
    expect((await allApplications({}, 10)).flat()).toHaveLength(3);
  });

  test('tags given to CreateApplication are listed by ListTagsForResource', async () => {
    const arn = await createApplication('Tagged', { Tags: [{ Key: 'team', Value: 'platform' }] });
    const { Tags } = await ssoAdmin.send(
      new ListTagsForResourceCommand({ InstanceArn: instanceArn, ResourceArn: arn }),
    );
    expect(Tags).toEqual([{ Key: 'team', Value: 'platform' }]);
  });

  test('UpdateApplication changes the members given and keeps the others', async () => {
    const arn = await createApplication('Old', { Description: 'kept' });
    await ssoAdmin.send(
      new UpdateApplicationCommand({
        ApplicationArn: arn,
        Name: 'New',
        Status: 'DISABLED',
        PortalOptions: { SignInOptions: { Origin: 'IDENTITY_CENTER' } },
      }),
    );
    expect(await ssoAdmin.send(new DescribeApplicationCommand({ ApplicationArn: arn }))).toMatchObject({
      Name: 'New',
      Description: 'kept',
      Status: 'DISABLED',
      PortalOptions: { Visibility: 'ENABLED', SignInOptions: { Origin: 'IDENTITY_CENTER' } },
    });
  });

  test('errors: unknown application or instance, malformed input', async () => {
    const missing = missingApplication(instanceArn);
    await rejectsWith(
      ssoAdmin.send(new DescribeApplicationCommand({ ApplicationArn: missing })),
      'ResourceNotFoundException',
    );
    await rejectsWith(
      ssoAdmin.send(new DeleteApplicationCommand({ ApplicationArn: missing })),
      'ResourceNotFoundException',
    );
    await rejectsWith(
      ssoAdmin.send(new UpdateApplicationCommand({ ApplicationArn: missing, Name: 'x' })),
      'ResourceNotFoundException',
    );
    await rejectsWith(
      ssoAdmin.send(
        new CreateApplicationCommand({
          InstanceArn: 'arn:aws:sso:::instance/ssoins-0000000000000000',
          ApplicationProviderArn: CUSTOM_APPLICATION_PROVIDER,
          Name: 'x',
        }),
      ),
      'ResourceNotFoundException',
    );
    await rejectsWith(
      ssoAdmin.send(new DescribeApplicationCommand({ ApplicationArn: 'arn:aws:sso:::not-an-application' })),
      'ValidationException',
      /ApplicationArn/,
    );
    await rejectsWith(
      createApplication(''),
      'ValidationException',
      /'Name'.*length greater than or equal to 1/,
    );
    await rejectsWith(
      createApplication('x'.repeat(101)),
      'ValidationException',
      /length less than or equal to 100/,
    );
    await rejectsWith(
      createApplication('x', { ApplicationProviderArn: 'arn:aws:sso::aws:provider/custom' }),
      'ValidationException',
      /ApplicationProviderArn/,
    );
    await rejectsWith(
      createApplication('x', { Status: 'PAUSED' as 'ENABLED' }),
      'ValidationException',
      /enum value set: \[ENABLED, DISABLED\]/,
    );
    await rejectsWith(
      createApplication('x', { PortalOptions: { SignInOptions: { Origin: 'APPLICATION' } } }),
      'ValidationException',
      /ApplicationUrl/,
    );
    await rejectsWith(
      ssoAdmin.send(new ListApplicationsCommand({ InstanceArn: instanceArn, MaxResults: 101 })),
      'ValidationException',
      /MaxResults/,
    );
    // Nothing was created by the refused requests.
    expect((await allApplications({}, 10)).flat()).toEqual([]);
  });

  test('DeleteApplication deletes it with its assignments and assignment configuration', async () => {
    const arn = await createApplication('Doomed');
    const principal = { PrincipalType: 'USER' as const, PrincipalId: '11111111-2222-3333-4444-555555555555' };
    await ssoAdmin.send(new CreateApplicationAssignmentCommand({ ApplicationArn: arn, ...principal }));
    await ssoAdmin.send(
      new PutApplicationAssignmentConfigurationCommand({ ApplicationArn: arn, AssignmentRequired: false }),
    );
    await ssoAdmin.send(new DeleteApplicationCommand({ ApplicationArn: arn }));

    await rejectsWith(
      ssoAdmin.send(new DescribeApplicationCommand({ ApplicationArn: arn })),
      'ResourceNotFoundException',
    );
    await rejectsWith(
      ssoAdmin.send(new ListApplicationAssignmentsCommand({ ApplicationArn: arn })),
      'ResourceNotFoundException',
    );
    await rejectsWith(
      ssoAdmin.send(new GetApplicationAssignmentConfigurationCommand({ ApplicationArn: arn })),
      'ResourceNotFoundException',
    );
    const forPrincipal = await ssoAdmin.send(
      new ListApplicationAssignmentsForPrincipalCommand({ InstanceArn: instanceArn, ...principal }),
    );
    expect(forPrincipal.ApplicationAssignments).toEqual([]);
    expect((await allApplications({}, 10)).flat()).toEqual([]);
  });
});

describe('application assignments', () => {
  let users: Record<string, string>;
  let groups: Record<string, string>;
  beforeEach(async () => {
    ({ users, groups } = await seedOrganisation(idc.endpoint, {
      users: ['alice', 'bob'].map(seedUser),
      groups: [{ name: 'admins', members: ['alice@example.com'] }],
    }));
  });

  test('create, describe, list page by page, delete', async () => {
    const arn = await createApplication('Grafana');
    const alice = { PrincipalType: 'USER' as const, PrincipalId: users['alice@example.com'] };
    const bob = { PrincipalType: 'USER' as const, PrincipalId: users['bob@example.com'] };
    const admins = { PrincipalType: 'GROUP' as const, PrincipalId: groups.admins };
    for (const principal of [alice, admins, bob]) {
      const created = await ssoAdmin.send(
        new CreateApplicationAssignmentCommand({ ApplicationArn: arn, ...principal }),
      );
      expect(Object.keys(created)).toEqual(['$metadata']);
    }
    const { $metadata: _m, ...described } = await ssoAdmin.send(
      new DescribeApplicationAssignmentCommand({ ApplicationArn: arn, ...admins }),
    );
    expect(described).toEqual({ ApplicationArn: arn, ...admins });

    const first = await ssoAdmin.send(
      new ListApplicationAssignmentsCommand({ ApplicationArn: arn, MaxResults: 1 }),
    );
    expect(first.ApplicationAssignments).toEqual([{ ApplicationArn: arn, ...alice }]);
    expect(first.NextToken).toEqual(expect.any(String));
    const pages: ApplicationAssignment[][] = [];
    for await (const page of paginateListApplicationAssignments(
      { client: ssoAdmin, pageSize: 1 },
      { ApplicationArn: arn },
    )) {
      pages.push(page.ApplicationAssignments ?? []);
    }
    expect(pages).toEqual([alice, admins, bob].map((p) => [{ ApplicationArn: arn, ...p }]));

    await ssoAdmin.send(new DeleteApplicationAssignmentCommand({ ApplicationArn: arn, ...admins }));
    const after = await ssoAdmin.send(new ListApplicationAssignmentsCommand({ ApplicationArn: arn }));
    expect(after.ApplicationAssignments).toEqual([alice, bob].map((p) => ({ ApplicationArn: arn, ...p })));
    expect(after.NextToken).toBeUndefined();
  });

  test('ListApplicationAssignmentsForPrincipal lists the applications a principal is assigned to', async () => {
    const one = await createApplication('one');
    const two = await createApplication('two');
    await createApplication('three');
    const alice = { PrincipalType: 'USER' as const, PrincipalId: users['alice@example.com'] };
    for (const arn of [one, two]) {
      await ssoAdmin.send(new CreateApplicationAssignmentCommand({ ApplicationArn: arn, ...alice }));
    }
    await ssoAdmin.send(
      new CreateApplicationAssignmentCommand({
        ApplicationArn: one,
        PrincipalType: 'GROUP',
        PrincipalId: groups.admins,
      }),
    );
    const all = await ssoAdmin.send(
      new ListApplicationAssignmentsForPrincipalCommand({ InstanceArn: instanceArn, ...alice }),
    );
    expect(all.ApplicationAssignments).toEqual([one, two].map((arn) => ({ ApplicationArn: arn, ...alice })));
    const paged = await ssoAdmin.send(
      new ListApplicationAssignmentsForPrincipalCommand({
        InstanceArn: instanceArn,
        ...alice,
        MaxResults: 1,
      }),
    );
    expect(paged.ApplicationAssignments).toEqual([{ ApplicationArn: one, ...alice }]);
    expect(paged.NextToken).toEqual(expect.any(String));
    const filtered = await ssoAdmin.send(
      new ListApplicationAssignmentsForPrincipalCommand({
        InstanceArn: instanceArn,
        ...alice,
        Filter: { ApplicationArn: two },
      }),
    );
    expect(filtered.ApplicationAssignments).toEqual([{ ApplicationArn: two, ...alice }]);
  });

  test('errors: a second assignment, a missing one, an unknown application, malformed principals', async () => {
    const arn = await createApplication('Grafana');
    const bob = { PrincipalType: 'USER' as const, PrincipalId: users['bob@example.com'] };
    await ssoAdmin.send(new CreateApplicationAssignmentCommand({ ApplicationArn: arn, ...bob }));
    await rejectsWith(
      ssoAdmin.send(new CreateApplicationAssignmentCommand({ ApplicationArn: arn, ...bob })),
      'ConflictException',
    );
    // The same ID as a group is another principal.
    await rejectsWith(
      ssoAdmin.send(
        new DeleteApplicationAssignmentCommand({
          ApplicationArn: arn,
          PrincipalType: 'GROUP',
          PrincipalId: bob.PrincipalId,
        }),
      ),
      'ResourceNotFoundException',
    );
    await rejectsWith(
      ssoAdmin.send(
        new DescribeApplicationAssignmentCommand({
          ApplicationArn: arn,
          PrincipalType: 'USER',
          PrincipalId: users['alice@example.com'],
        }),
      ),
      'ResourceNotFoundException',
    );
    const missing = missingApplication(instanceArn);
    await rejectsWith(
      ssoAdmin.send(new ListApplicationAssignmentsCommand({ ApplicationArn: missing })),
      'ResourceNotFoundException',
    );
    await rejectsWith(
      ssoAdmin.send(new CreateApplicationAssignmentCommand({ ApplicationArn: missing, ...bob })),
      'ResourceNotFoundException',
    );
    await rejectsWith(
      ssoAdmin.send(
        new CreateApplicationAssignmentCommand({
          ApplicationArn: arn,
          PrincipalType: 'ROLE' as PrincipalType,
          PrincipalId: bob.PrincipalId,
        }),
      ),
      'ValidationException',
      /PrincipalType.*\[USER, GROUP\]/,
    );
    await rejectsWith(
      ssoAdmin.send(
        new CreateApplicationAssignmentCommand({
          ApplicationArn: arn,
          PrincipalType: 'USER',
          PrincipalId: 'bob',
        }),
      ),
      'ValidationException',
      /PrincipalId/,
    );
    const { ApplicationAssignments } = await ssoAdmin.send(
      new ListApplicationAssignmentsCommand({ ApplicationArn: arn }),
    );
    expect(ApplicationAssignments).toEqual([{ ApplicationArn: arn, ...bob }]);
  });

  test('assignment configuration: AssignmentRequired is true by default, and as put', async () => {
    const arn = await createApplication('Grafana');
    const get = async () =>
      (await ssoAdmin.send(new GetApplicationAssignmentConfigurationCommand({ ApplicationArn: arn })))
        .AssignmentRequired;
    expect(await get()).toBe(true);
    await ssoAdmin.send(
      new PutApplicationAssignmentConfigurationCommand({ ApplicationArn: arn, AssignmentRequired: false }),
    );
    expect(await get()).toBe(false);
    await ssoAdmin.send(
      new PutApplicationAssignmentConfigurationCommand({ ApplicationArn: arn, AssignmentRequired: true }),
    );
    expect(await get()).toBe(true);
    await rejectsWith(
      ssoAdmin.send(
        new PutApplicationAssignmentConfigurationCommand({
          ApplicationArn: missingApplication(instanceArn),
          AssignmentRequired: false,
        }),
      ),
      'ResourceNotFoundException',
    );
    await rejectsWith(
      ssoAdmin.send(new PutApplicationAssignmentConfigurationCommand({ ApplicationArn: arn } as never)),
      'ValidationException',
      /AssignmentRequired.*must not be null/,
    );
  });

  test('seedApplication creates the application, its configuration and its assignments', async () => {
    const arn = await seedApplication(ssoAdmin, instanceArn, {
      name: 'Seeded',
      description: 'from the seed',
      assignmentRequired: false,
      users: [users['bob@example.com']],
      groups: [groups.admins],
    });
    expect(await ssoAdmin.send(new DescribeApplicationCommand({ ApplicationArn: arn }))).toMatchObject({
      Name: 'Seeded',
      Description: 'from the seed',
      ApplicationProviderArn: CUSTOM_APPLICATION_PROVIDER,
    });
    expect(
      (await ssoAdmin.send(new GetApplicationAssignmentConfigurationCommand({ ApplicationArn: arn })))
        .AssignmentRequired,
    ).toBe(false);
    const { ApplicationAssignments } = await ssoAdmin.send(
      new ListApplicationAssignmentsCommand({ ApplicationArn: arn }),
    );
    expect(ApplicationAssignments).toEqual([
      { ApplicationArn: arn, PrincipalType: 'USER', PrincipalId: users['bob@example.com'] },
      { ApplicationArn: arn, PrincipalType: 'GROUP', PrincipalId: groups.admins },
    ]);
  });
});

describe('attribute-based access control', () => {
  const DEPARTMENT: AccessControlAttribute = {
    Key: 'Department',
    Value: { Source: ['${path:enterprise.department}'] },
  };
  const COST_CENTER: AccessControlAttribute = {
    Key: 'CostCenter',
    Value: { Source: ['${path:enterprise.costCenter}'] },
  };
  const configuration = (...AccessControlAttributes: AccessControlAttribute[]) => ({
    InstanceArn: instanceArn,
    InstanceAccessControlAttributeConfiguration: { AccessControlAttributes },
  });
  const describeAbac = () =>
    ssoAdmin.send(
      new DescribeInstanceAccessControlAttributeConfigurationCommand({ InstanceArn: instanceArn }),
    );

  test('without a configuration: Describe, Update and Delete answer ResourceNotFoundException', async () => {
    await rejectsWith(describeAbac(), 'ResourceNotFoundException');
    await rejectsWith(
      ssoAdmin.send(new UpdateInstanceAccessControlAttributeConfigurationCommand(configuration(DEPARTMENT))),
      'ResourceNotFoundException',
    );
    await rejectsWith(
      ssoAdmin.send(
        new DeleteInstanceAccessControlAttributeConfigurationCommand({ InstanceArn: instanceArn }),
      ),
      'ResourceNotFoundException',
    );
  });

  test('create, describe, a second create, update, delete', async () => {
    await ssoAdmin.send(
      new CreateInstanceAccessControlAttributeConfigurationCommand(configuration(DEPARTMENT)),
    );
    const { $metadata: _m, ...described } = await describeAbac();
    expect(described).toEqual({
      Status: 'ENABLED',
      InstanceAccessControlAttributeConfiguration: { AccessControlAttributes: [DEPARTMENT] },
    });
    await rejectsWith(
      ssoAdmin.send(new CreateInstanceAccessControlAttributeConfigurationCommand(configuration(COST_CENTER))),
      'ConflictException',
    );
    await ssoAdmin.send(
      new UpdateInstanceAccessControlAttributeConfigurationCommand(configuration(COST_CENTER, DEPARTMENT)),
    );
    expect((await describeAbac()).InstanceAccessControlAttributeConfiguration).toEqual({
      AccessControlAttributes: [COST_CENTER, DEPARTMENT],
    });
    await ssoAdmin.send(
      new DeleteInstanceAccessControlAttributeConfigurationCommand({ InstanceArn: instanceArn }),
    );
    await rejectsWith(describeAbac(), 'ResourceNotFoundException');
    // Enabled again after a delete: a new configuration.
    await ssoAdmin.send(new CreateInstanceAccessControlAttributeConfigurationCommand(configuration()));
    expect((await describeAbac()).InstanceAccessControlAttributeConfiguration).toEqual({
      AccessControlAttributes: [],
    });
  });

  test('an unknown instance: ResourceNotFoundException', async () => {
    await rejectsWith(
      ssoAdmin.send(
        new DescribeInstanceAccessControlAttributeConfigurationCommand({
          InstanceArn: 'arn:aws:sso:::instance/ssoins-0000000000000000',
        }),
      ),
      'ResourceNotFoundException',
    );
  });

  test('validation: at most 50 attributes, exactly one source each, keys and sources as the model says', async () => {
    const attribute = (Key: string, Source: string[] = ['${path:name.givenName}']) => ({
      Key,
      Value: { Source },
    });
    const refused: [AccessControlAttribute[], RegExp][] = [
      [
        Array.from({ length: 51 }, (_, i) => attribute(`key${i}`)),
        /AccessControlAttributes.*less than or equal to 50/,
      ],
      [
        [attribute('two', ['${path:name.givenName}', '${path:name.familyName}'])],
        /Source.*less than or equal to 1/,
      ],
      [[attribute('none', [])], /Source.*greater than or equal to 1/],
      [[attribute('')], /Key.*greater than or equal to 1/],
      [[attribute('k'.repeat(129))], /Key.*less than or equal to 128/],
      [[attribute('no*stars')], /Key.*regular expression pattern/],
      [[attribute('ok', ['s'.repeat(257)])], /Source.*less than or equal to 256/],
      [[attribute('ok', ['no;semicolons'])], /Source.*regular expression pattern/],
      [[{ Key: 'no-value' } as AccessControlAttribute], /Value.*must not be null/],
    ];
    for (const [attributes, message] of refused) {
      await rejectsWith(
        ssoAdmin.send(
          new CreateInstanceAccessControlAttributeConfigurationCommand(configuration(...attributes)),
        ),
        'ValidationException',
        message,
      );
    }
    // Nothing was enabled by the refused requests.
    await rejectsWith(describeAbac(), 'ResourceNotFoundException');

    // The limits themselves, and the pattern's Unicode letters, spaces and digits, are accepted.
    const accepted = [
      ...Array.from({ length: 49 }, (_, i) => attribute(`key${i}`)),
      attribute('Abteilung Größe 1_.:/=+-@'.padEnd(128, 'x'), ['s'.repeat(256)]),
    ];
    await ssoAdmin.send(
      new CreateInstanceAccessControlAttributeConfigurationCommand(configuration(...accepted)),
    );
    expect(
      (await describeAbac()).InstanceAccessControlAttributeConfiguration?.AccessControlAttributes,
    ).toEqual(accepted);
    // Update validates the same way and keeps the configuration it refused to replace.
    await rejectsWith(
      ssoAdmin.send(
        new UpdateInstanceAccessControlAttributeConfigurationCommand(
          configuration(...Array.from({ length: 51 }, (_, i) => attribute(`key${i}`))),
        ),
      ),
      'ValidationException',
    );
    expect(
      (await describeAbac()).InstanceAccessControlAttributeConfiguration?.AccessControlAttributes,
    ).toHaveLength(50);
  });

  test('seedAccessControlAttributes enables ABAC with one source a key', async () => {
    await seedAccessControlAttributes(ssoAdmin, instanceArn, {
      Department: '${path:enterprise.department}',
      CostCenter: '${path:enterprise.costCenter}',
    });
    expect(
      (await describeAbac()).InstanceAccessControlAttributeConfiguration?.AccessControlAttributes,
    ).toEqual([DEPARTMENT, COST_CENTER]);
  });
});

describe('server behaviour', () => {
  test("moto's reset clears applications, assignments and ABAC", async () => {
    const arn = await seedApplication(ssoAdmin, instanceArn, {
      name: 'Before reset',
      users: ['11111111-2222-3333-4444-555555555555'],
    });
    await seedAccessControlAttributes(ssoAdmin, instanceArn, { Department: '${path:enterprise.department}' });
    const oldInstance = instanceArn;

    await idc.reset();
    ({ instanceArn } = await currentInstance(ssoAdmin));
    expect(instanceArn).not.toBe(oldInstance);
    await rejectsWith(
      ssoAdmin.send(new DescribeApplicationCommand({ ApplicationArn: arn })),
      'ResourceNotFoundException',
    );
    expect((await allApplications({}, 10)).flat()).toEqual([]);
    const listed = await ssoAdmin.send(new ListApplicationsCommand({ InstanceArn: oldInstance }));
    expect(listed.Applications).toEqual([]);
    await rejectsWith(
      ssoAdmin.send(
        new DescribeInstanceAccessControlAttributeConfigurationCommand({ InstanceArn: instanceArn }),
      ),
      'ResourceNotFoundException',
    );
  });

  test('state lives in the server across requests and clients', async () => {
    const arn = await createApplication('Shared');
    const other = seedClients(idc.endpoint).ssoAdmin;
    try {
      expect((await other.send(new DescribeApplicationCommand({ ApplicationArn: arn }))).Name).toBe('Shared');
    } finally {
      other.destroy();
    }
  });

  test('the call counter counts the new operations by name, refused ones included', async () => {
    await idc.resetCalls();
    const arn = await createApplication('Counted');
    await ssoAdmin.send(new DescribeApplicationCommand({ ApplicationArn: arn }));
    await ssoAdmin.send(new ListApplicationsCommand({ InstanceArn: instanceArn }));
    const principal = {
      PrincipalType: 'GROUP' as const,
      PrincipalId: '11111111-2222-3333-4444-555555555555',
    };
    await ssoAdmin.send(new CreateApplicationAssignmentCommand({ ApplicationArn: arn, ...principal }));
    await rejectsWith(
      ssoAdmin.send(new CreateApplicationAssignmentCommand({ ApplicationArn: arn, ...principal })),
      'ConflictException',
    );
    await ssoAdmin.send(new ListApplicationAssignmentsCommand({ ApplicationArn: arn }));
    await ssoAdmin.send(new GetApplicationAssignmentConfigurationCommand({ ApplicationArn: arn }));
    await ssoAdmin.send(
      new PutApplicationAssignmentConfigurationCommand({ ApplicationArn: arn, AssignmentRequired: false }),
    );
    await ssoAdmin.send(new DeleteApplicationAssignmentCommand({ ApplicationArn: arn, ...principal }));
    await rejectsWith(
      ssoAdmin.send(
        new DescribeInstanceAccessControlAttributeConfigurationCommand({ InstanceArn: instanceArn }),
      ),
      'ResourceNotFoundException',
    );
    await ssoAdmin.send(
      new CreateInstanceAccessControlAttributeConfigurationCommand({
        InstanceArn: instanceArn,
        InstanceAccessControlAttributeConfiguration: { AccessControlAttributes: [] },
      }),
    );
    await ssoAdmin.send(
      new UpdateInstanceAccessControlAttributeConfigurationCommand({
        InstanceArn: instanceArn,
        InstanceAccessControlAttributeConfiguration: { AccessControlAttributes: [] },
      }),
    );
    await ssoAdmin.send(
      new DeleteInstanceAccessControlAttributeConfigurationCommand({ InstanceArn: instanceArn }),
    );
    await ssoAdmin.send(new DeleteApplicationCommand({ ApplicationArn: arn }));

    const calls = await idc.calls();
    expect(calls.byOperation).toEqual({
      CreateApplication: 1,
      DescribeApplication: 1,
      ListApplications: 1,
      CreateApplicationAssignment: 2,
      ListApplicationAssignments: 1,
      GetApplicationAssignmentConfiguration: 1,
      PutApplicationAssignmentConfiguration: 1,
      DeleteApplicationAssignment: 1,
      DescribeInstanceAccessControlAttributeConfiguration: 1,
      CreateInstanceAccessControlAttributeConfiguration: 1,
      UpdateInstanceAccessControlAttributeConfiguration: 1,
      DeleteInstanceAccessControlAttributeConfiguration: 1,
      DeleteApplication: 1,
    });
    expect(calls.total).toBe(14);
  });

  test('the new operations are under the rate limit like every SSO Admin operation', async () => {
    const arn = await createApplication('Limited');
    const impatient = new SSOAdminClient({
      endpoint: idc.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      maxAttempts: 1,
    });
    await idc.setTps(1);
    try {
      await idc.resetCalls();
      const results = await Promise.allSettled(
        [0, 1, 2].map(() =>
          impatient.send(new GetApplicationAssignmentConfigurationCommand({ ApplicationArn: arn })),
        ),
      );
      const refused = results.filter((r) => r.status === 'rejected');
      expect(refused.length).toBeGreaterThanOrEqual(1);
      expect(refused.map((r) => (r.reason as Error).name)).toEqual(refused.map(() => 'ThrottlingException'));
      expect((await idc.calls()).throttled).toBe(refused.length);
    } finally {
      await idc.setTps(0);
      impatient.destroy();
    }
  });
});
