#!/usr/bin/env python3
# The project's own copy of ../shared/moto/idc_server.py, extended with applications and access control
# attributes (see "Added" below); test/aws/server.ts starts it.
"""moto's server, patched to stand in for AWS IAM Identity Center in integration tests.

Identity Store and SSO Admin run on moto 5.2.1, with these changes:

  ExternalIds    A raw CreateGroup / CreateUser JSON body may carry an extra "ExternalIds"
                 member, as SCIM-provisioned identities have. DescribeGroup/User,
                 ListGroups/Users and GetGroupId/GetUserId(ExternalId) honour it.
  Provisioning   CreateAccountAssignment and ProvisionPermissionSet provision a permission
                 set to an account. ListAccountsForProvisionedPermissionSet and
                 ListPermissionSetsProvisionedToAccount report that, with ProvisioningStatus
                 and MaxResults/NextToken.
  Uniqueness     Duplicate account assignments, group memberships and permission set names
                 are refused with ConflictException. DeleteGroup/DeleteUser remove memberships.
  ARNs and IDs   Permission set ARNs are arn:aws:sso:::permissionSet/ssoins-<16>/ps-<16>;
                 instance, identity store and permission set IDs are lowercase hex.
  Policies       AWS managed policies with a path (arn:aws:iam::aws:policy/job-function/
                 Billing) can be attached. SessionDuration defaults to "PT1H" (moto: 3600).
  Added          Operations moto 5.2.1 lacks: DescribeInstance; Get/Put/Delete permissions
                 boundary of a permission set; TagResource, UntagResource and
                 ListTagsForResource (permission sets, instances, applications); Identity
                 Store IsMemberInGroups. Applications: Create/Describe/Update/Delete/
                 ListApplications, Create/Delete/DescribeApplicationAssignment,
                 ListApplicationAssignments(ForPrincipal), Get/PutApplicationAssignment-
                 Configuration. Attribute-based access control: Create/Describe/Update/
                 DeleteInstanceAccessControlAttributeConfiguration. These validate their
                 input against the service model's constraints (ValidationException).

Opt-in test controls, from the environment (Identity Store and SSO Admin requests only):

  IDC_TPS=20            token bucket shared by both services, burst = TPS; over the limit:
                        HTTP 400 {"__type":"ThrottlingException","message":"Rate exceeded"}
  IDC_LATENCY_MS=N      added to every request
  IDC_FAULT_RATE=0.1    that fraction of requests answers HTTP 500 InternalServerException
  IDC_FAULT_SEED=0      seed of the fault sequence (default 0, so runs repeat)
  IDC_FAULT_OPS=A,B     only these operations can fault (default: all)

Extra endpoints:

  GET  /moto-api/idc/calls        {"total", "byOperation", "throttled", "faulted"}
  POST /moto-api/idc/calls/reset  zero the counters
  POST /moto-api/idc/tps?value=N  set the rate limit while running (0: none), e.g. seed an
                                  organisation at full speed, then read it at 20/s
  GET  /moto-api/idc/tps          {"tps": N}
  POST /moto-api/reset            moto's reset; also zeroes the counters, refills the
                                  token bucket and restarts the fault sequence

usage: python3 idc_server.py [-H 127.0.0.1] [-p 5055]

Importing this module applies the patches, so `import idc_server` also works in-process with
moto's mock_aws (the test controls and extra endpoints exist only in the server).
"""

import argparse
import functools
import inspect
import json
import os
import random
import re
import signal
import sys
import threading
import time
import unicodedata
import uuid
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from moto.core.exceptions import InvalidToken, JsonRESTError
from moto.core.utils import unix_time
from moto.iam.aws_managed_policies import aws_managed_policies_data
from moto.identitystore import models as ids_models
from moto.identitystore import responses as ids_responses
from moto.identitystore.exceptions import (
    ConflictException as IdsConflict,
    ResourceNotFoundException as IdsNotFound,
    ValidationException as IdsValidation,
)
from moto.moto_api._internal import mock_random
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.ssoadmin import models as sso_models
from moto.ssoadmin import responses as sso_responses
from moto.ssoadmin.exceptions import (
    ConflictException as SsoConflict,
    ResourceNotFoundException as SsoNotFound,
)
from moto.utilities.paginator import Paginator
from moto.utilities.utils import get_partition
from werkzeug.serving import run_simple

IdentityStoreBackend = ids_models.IdentityStoreBackend
IdentityStoreResponse = ids_responses.IdentityStoreResponse
SSOAdminBackend = sso_models.SSOAdminBackend
SSOAdminResponse = sso_responses.SSOAdminResponse


def wrap(cls, name):
    """Replace cls.<name> by the decorated function, which is given moto's original first."""

    def decorate(func):
        original = getattr(cls, name)

        @functools.wraps(original)
        def method(self, *args, **kwargs):
            return func(original, self, *args, **kwargs)

        setattr(cls, name, method)
        return func

    return decorate


def replace(cls, name):
    """Replace cls.<name> by the decorated function."""

    def decorate(func):
        setattr(cls, name, func)
        return func

    return decorate


# --------------------------------------------------------------------------------------------
# Identity Store: ExternalIds
#
# Identities provisioned over SCIM carry ExternalIds (issuer + the IdP's id); identities made
# with the CreateGroup/CreateUser APIs have none, and those APIs have no ExternalIds parameter.
# moto always answers ExternalIds [] for groups and null for users, and GetGroupId/GetUserId
# ignore the ExternalId alternate identifier.
# --------------------------------------------------------------------------------------------


def _store(backend, identity_store_id):
    # moto creates an empty store on first use of any IdentityStoreId.
    return backend._IdentityStoreBackend__get_identity_store(identity_store_id)


def _external_ids_param(response):
    """The extra "ExternalIds" member of a raw CreateGroup/CreateUser body, or []."""
    value = response._get_param("ExternalIds")
    if value is None:
        return []
    if not isinstance(value, list) or not all(
        isinstance(e, dict) and isinstance(e.get("Issuer"), str) and isinstance(e.get("Id"), str)
        and e["Issuer"] and e["Id"]
        for e in value
    ):
        raise IdsValidation(message="ExternalIds must be a list of {Issuer, Id} string pairs")
    return [{"Issuer": e["Issuer"], "Id": e["Id"]} for e in value]


def _has_external_id(external_ids, wanted):
    return any(e.get("Issuer") == wanted.get("Issuer") and e.get("Id") == wanted.get("Id")
               for e in external_ids or [])


@wrap(ids_models.IdentityStoreData, "__init__")
def _init_store_with_user_external_ids(original, self):
    original(self)
    self.user_external_ids = {}  # moto's User record has no ExternalIds field: UserId -> list


@wrap(IdentityStoreResponse, "create_group")
def _create_group_with_external_ids(original, self):
    external_ids = _external_ids_param(self)
    body = original(self)
    if external_ids:
        created = json.loads(body)
        groups = _store(self.identitystore_backend, created["IdentityStoreId"]).groups
        groups[created["GroupId"]] = groups[created["GroupId"]]._replace(ExternalIds=external_ids)
    return body


@wrap(IdentityStoreResponse, "create_user")
def _create_user_with_external_ids(original, self):
    external_ids = _external_ids_param(self)
    body = original(self)
    if external_ids:
        created = json.loads(body)
        store = _store(self.identitystore_backend, created["IdentityStoreId"])
        store.user_external_ids[created["UserId"]] = external_ids
    return body


@wrap(IdentityStoreBackend, "describe_group")
def _describe_group_as_stored(original, self, identity_store_id, group_id):
    # moto blanks ExternalIds here; ListGroups already returns the stored group as is.
    group = _store(self, identity_store_id).groups.get(group_id)
    return group if group is not None else original(self, identity_store_id, group_id)


@wrap(IdentityStoreResponse, "describe_user")
def _describe_user_with_external_ids(original, self):
    user = json.loads(original(self))
    store = _store(self.identitystore_backend, user["IdentityStoreId"])
    external_ids = store.user_external_ids.get(user["UserId"])
    if external_ids:
        user["ExternalIds"] = external_ids
    else:
        user.pop("ExternalIds", None)  # absent, not null, like any unset member
    return json.dumps(user)


@wrap(IdentityStoreBackend, "list_users")
def _list_users_with_external_ids(original, self, identity_store_id, **kwargs):
    users, next_token = original(self, identity_store_id=identity_store_id, **kwargs)
    external = _store(self, identity_store_id).user_external_ids
    for user in users:  # fresh dicts built by moto for this response
        if user["UserId"] in external:
            user["ExternalIds"] = external[user["UserId"]]
    return users, next_token


@wrap(IdentityStoreBackend, "get_group_id")
def _get_group_id_by_external_id(original, self, identity_store_id, alternate_identifier):
    wanted = (alternate_identifier or {}).get("ExternalId")
    if not wanted:
        return original(self, identity_store_id, alternate_identifier)
    for group in _store(self, identity_store_id).groups.values():
        if _has_external_id(group.ExternalIds, wanted):
            return group.GroupId, identity_store_id
    raise IdsNotFound(message="GROUP not found.", resource_type="GROUP")


@wrap(IdentityStoreBackend, "get_user_id")
def _get_user_id_by_external_id(original, self, identity_store_id, alternate_identifier):
    wanted = (alternate_identifier or {}).get("ExternalId")
    if not wanted:
        return original(self, identity_store_id, alternate_identifier)
    for user_id, external_ids in _store(self, identity_store_id).user_external_ids.items():
        if _has_external_id(external_ids, wanted):
            return user_id, identity_store_id
    raise IdsNotFound(message="USER not found.", resource_type="USER")


# --------------------------------------------------------------------------------------------
# Identity Store: memberships are unique and do not outlive their group or user
# --------------------------------------------------------------------------------------------


@wrap(IdentityStoreBackend, "create_group_membership")
def _create_unique_group_membership(original, self, identity_store_id, group_id, member_id):
    # A user is a member of a group at most once; moto would add a second membership.
    user_id = (member_id or {}).get("UserId")
    for m in _store(self, identity_store_id).group_memberships.values():
        if m["GroupId"] == group_id and m["MemberId"].get("UserId") == user_id:
            raise IdsConflict(message="Member already belongs to the group",
                              reason="UNIQUENESS_CONSTRAINT_VIOLATION")
    return original(self, identity_store_id, group_id, member_id)


def _drop_memberships(store, matches):
    for membership_id in [k for k, m in store.group_memberships.items() if matches(m)]:
        del store.group_memberships[membership_id]


@wrap(IdentityStoreBackend, "delete_group")
def _delete_group_and_memberships(original, self, identity_store_id, group_id):
    original(self, identity_store_id, group_id)
    _drop_memberships(_store(self, identity_store_id), lambda m: m["GroupId"] == group_id)


@wrap(IdentityStoreBackend, "delete_user")
def _delete_user_and_memberships(original, self, identity_store_id, user_id):
    original(self, identity_store_id, user_id)
    store = _store(self, identity_store_id)
    store.user_external_ids.pop(user_id, None)
    _drop_memberships(store, lambda m: m["MemberId"].get("UserId") == user_id)


@replace(IdentityStoreResponse, "is_member_in_groups")
def _is_member_in_groups(self):
    # moto 5.2.1 lacks IsMemberInGroups. AWS answers one result per group asked about (1 to
    # 100 groups), in the order given.
    store = _store(self.identitystore_backend, self._get_param("IdentityStoreId"))
    user_id = (self._get_param("MemberId") or {}).get("UserId")
    group_ids = self._get_param("GroupIds") or []
    if not user_id or not 1 <= len(group_ids) <= 100:
        raise IdsValidation(message="MemberId.UserId and 1 to 100 GroupIds are required")
    groups_of_user = {m["GroupId"] for m in store.group_memberships.values()
                      if m["MemberId"].get("UserId") == user_id}
    return json.dumps({"Results": [{"GroupId": g, "MemberId": {"UserId": user_id},
                                    "MembershipExists": g in groups_of_user} for g in group_ids]})


# --------------------------------------------------------------------------------------------
# SSO Admin: IDs, ARNs and AWS managed policies
#
# In AWS, instance, identity store and permission set IDs are lowercase hex, and a permission
# set's ARN is arn:aws:sso:::permissionSet/ssoins-<16 hex>/ps-<16 hex>. moto 5.2.1 builds the
# permission set ARN as the instance ARN plus "/ps-<16>" (arn:aws:sso:::instance/ssoins-…/
# ps-…) and draws IDs from letters and digits (d-<10> does not match the Identity Store's
# IdentityStoreId pattern). The IDs still come from moto's random source, so that
# POST /moto-api/seed keeps them repeatable.
# --------------------------------------------------------------------------------------------


@wrap(sso_models.Instance, "__init__")
def _instance_with_aws_ids(original, self, account_id, region):
    original(self, account_id, region)
    self.identity_store_id = f"d-{mock_random.get_random_hex(10)}"
    self.instance_arn = (f"arn:{get_partition(region)}:sso:::instance/"
                         f"ssoins-{mock_random.get_random_hex(16)}")
    self.tags = []  # see "tags" below


def _permission_set_arn(instance_arn):
    if ":instance/" not in instance_arn:  # moto does not check the InstanceArn of a new set
        return f"{instance_arn}/ps-{mock_random.get_random_hex(16)}"
    prefix, _, instance_id = instance_arn.partition(":instance/")
    return f"{prefix}:permissionSet/{instance_id}/ps-{mock_random.get_random_hex(16)}"


sso_models.PermissionSet.generate_id = staticmethod(_permission_set_arn)


@wrap(sso_models.PermissionSet, "__init__")
def _permission_set_with_tags_and_boundary(original, self, *args, **kwargs):
    original(self, *args, **kwargs)
    self.tags = list(self.tags or [])   # moto keeps None when CreatePermissionSet has no Tags
    self.permissions_boundary = None    # see "permissions boundary" below


@replace(SSOAdminBackend, "_find_managed_policy")
def _find_aws_managed_policy(self, managed_policy_arn):
    # AWS managed policies may have a path: arn:aws:iam::aws:policy/job-function/Billing.
    # moto reads the path from a "path" key while its policy data has "Path", so it refuses
    # every AWS managed policy outside "/". The data is moto's snapshot of AWS's policies.
    if self.aws_managed_policies is None:
        self.aws_managed_policies = json.loads(aws_managed_policies_data)
    name = managed_policy_arn.split("/")[-1]
    policy = self.aws_managed_policies.get(name)
    if policy and managed_policy_arn == (
            f"arn:{self.partition}:iam::aws:policy{policy.get('Path', '/')}{name}"):
        return sso_models.ManagedPolicy(managed_policy_arn, name)
    raise SsoNotFound(f"Policy does not exist with ARN: {managed_policy_arn}")


# --------------------------------------------------------------------------------------------
# SSO Admin: provisioning state
#
# A permission set is provisioned to an account while the account has an assignment of it, or
# after ProvisionPermissionSet(TargetType=AWS_ACCOUNT, TargetId). Editing a provisioned
# permission set (description, session duration, relay state, policies) leaves the accounts
# at LATEST_PERMISSION_SET_NOT_PROVISIONED until it is provisioned again.
# moto 5.2.1 records only explicit ProvisionPermissionSet calls, ignores TargetId and
# AccountId, answers its own account ID and does not paginate.
# --------------------------------------------------------------------------------------------

LATEST = "LATEST_PERMISSION_SET_PROVISIONED"
NOT_LATEST = "LATEST_PERMISSION_SET_NOT_PROVISIONED"


@dataclass
class Provisioning:
    edits: Counter = field(default_factory=Counter)  # permission set ARN -> edits so far
    accounts: dict = field(default_factory=dict)     # permission set ARN -> {account: edits then}
    explicit: set = field(default_factory=set)       # (permission set ARN, account)

    def provision(self, ps_arn, account):
        self.accounts.setdefault(ps_arn, {})[account] = self.edits[ps_arn]

    def deprovision(self, ps_arn, account):
        self.accounts.get(ps_arn, {}).pop(account, None)

    def forget(self, ps_arn):
        self.edits.pop(ps_arn, None)
        self.accounts.pop(ps_arn, None)
        self.explicit = {(p, a) for p, a in self.explicit if p != ps_arn}

    def status(self, ps_arn, account):
        return LATEST if self.accounts[ps_arn][account] == self.edits[ps_arn] else NOT_LATEST


@wrap(SSOAdminBackend, "__init__")
def _init_backend_with_provisioning(original, self, region_name, account_id):
    original(self, region_name, account_id)
    self.provisioning = Provisioning()  # rebuilt by POST /moto-api/reset, like all backend state


def _counts_as_edit(name):
    original = getattr(SSOAdminBackend, name)
    signature = inspect.signature(original)

    @functools.wraps(original)
    def method(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        ps_arn = signature.bind(self, *args, **kwargs).arguments["permission_set_arn"]
        self.provisioning.edits[ps_arn] += 1
        return result

    setattr(SSOAdminBackend, name, method)


for _name in ("update_permission_set",
              "put_inline_policy_to_permission_set",
              "delete_inline_policy_from_permission_set",
              "attach_managed_policy_to_permission_set",
              "detach_managed_policy_from_permission_set",
              "attach_customer_managed_policy_reference_to_permission_set",
              "detach_customer_managed_policy_reference_from_permission_set"):
    _counts_as_edit(_name)


# --------------------------------------------------------------------------------------------
# SSO Admin: permission sets and account assignments
# --------------------------------------------------------------------------------------------


def _session_duration(value):
    # Without SessionDuration, moto's request handlers pass the number 3600; the API's
    # SessionDuration is an ISO 8601 string and AWS's default is one hour, "PT1H".
    return value if isinstance(value, str) else "PT1H"


@wrap(SSOAdminBackend, "create_permission_set")
def _create_uniquely_named_permission_set(original, self, name, description, instance_arn,
                                          session_duration, relay_state, tags):
    # Names are unique within an instance; moto would create a second permission set.
    if any(ps.instance_arn == instance_arn and ps.name == name for ps in self.permission_sets):
        raise SsoConflict(f"PermissionSet with name {name} already exists.")
    return original(self, name, description, instance_arn, _session_duration(session_duration),
                    relay_state, tags)


@wrap(SSOAdminBackend, "update_permission_set")
def _update_permission_set_duration(original, self, instance_arn, permission_set_arn,
                                    description, session_duration, relay_state):
    return original(self, instance_arn, permission_set_arn, description,
                    _session_duration(session_duration), relay_state)


@wrap(SSOAdminBackend, "delete_permission_set")
def _delete_permission_set_and_provisioning(original, self, instance_arn, permission_set_arn):
    summary = original(self, instance_arn, permission_set_arn)
    self.provisioning.forget(permission_set_arn)
    return summary


def _assignment_key(a):
    return (a.instance_arn, a.target_id, a.target_type, a.permission_set_arn,
            a.principal_type, a.principal_id)


@wrap(SSOAdminBackend, "create_account_assignment")
def _create_unique_account_assignment(original, self, instance_arn, target_id, target_type,
                                      permission_set_arn, principal_type, principal_id):
    # An account holds one assignment per (permission set, principal). moto would store a
    # second copy, and then its ListAccountAssignments NextToken never ends.
    key = (instance_arn, target_id, target_type, permission_set_arn, principal_type, principal_id)
    if any(_assignment_key(a) == key for a in self.account_assignments):
        raise SsoConflict("An account assignment with these parameters already exists.")
    summary = original(self, *key)
    # Creating an assignment provisions the permission set, as it is now, to the account.
    self.provisioning.provision(permission_set_arn, target_id)
    return summary


@wrap(SSOAdminBackend, "delete_account_assignment")
def _delete_account_assignment_and_deprovision(original, self, instance_arn, target_id,
                                               target_type, permission_set_arn, principal_type,
                                               principal_id):
    summary = original(self, instance_arn, target_id, target_type, permission_set_arn,
                       principal_type, principal_id)
    still_assigned = any(a.permission_set_arn == permission_set_arn and a.target_id == target_id
                         for a in self.account_assignments)
    if not still_assigned and (permission_set_arn, target_id) not in self.provisioning.explicit:
        self.provisioning.deprovision(permission_set_arn, target_id)
    return summary


# --------------------------------------------------------------------------------------------
# SSO Admin: provisioning operations
# --------------------------------------------------------------------------------------------


@replace(SSOAdminBackend, "provision_permission_set")
def _provision_to_target(self, instance_arn, permission_set_arn, target_type, target_id):
    self._find_permission_set(instance_arn, permission_set_arn)  # ResourceNotFoundException
    if target_type == "AWS_ACCOUNT":
        if not target_id:
            raise JsonRESTError("ValidationException", "TargetId is required for AWS_ACCOUNT")
        self.provisioning.explicit.add((permission_set_arn, target_id))
        self.provisioning.provision(permission_set_arn, target_id)
    else:  # ALL_PROVISIONED_ACCOUNTS: bring every account that has it up to date
        for account in list(self.provisioning.accounts.get(permission_set_arn, {})):
            self.provisioning.provision(permission_set_arn, account)


@replace(SSOAdminResponse, "provision_permission_set")
def _provision_permission_set_response(self):
    ps_arn = self._get_param("PermissionSetArn")
    target_id = self._get_param("TargetId")
    self.ssoadmin_backend.provision_permission_set(
        self._get_param("InstanceArn"), ps_arn, self._get_param("TargetType"), target_id)
    status = {"CreatedDate": unix_time(), "PermissionSetArn": ps_arn,
              "RequestId": str(uuid.uuid4()), "Status": "SUCCEEDED"}
    if target_id:
        status["AccountId"] = target_id
    return json.dumps({"PermissionSetProvisioningStatus": status})


def _page(values, max_results, next_token, **params):
    """Page a list of strings with moto's token format (moto's Paginator pages records)."""
    paginator = Paginator(max_results=max_results, max_results_default=100,
                          starting_token=next_token, unique_attribute="value",
                          param_values_to_check=params)
    page, next_token = paginator.paginate([{"value": v} for v in values])
    return [item["value"] for item in page], next_token


@replace(SSOAdminResponse, "list_accounts_for_provisioned_permission_set")
def _list_accounts_for_provisioned_permission_set(self):
    backend = self.ssoadmin_backend
    instance_arn = self._get_param("InstanceArn")
    ps_arn = self._get_param("PermissionSetArn")
    status = self._get_param("ProvisioningStatus")
    backend._find_permission_set(instance_arn, ps_arn)  # ResourceNotFoundException
    accounts = [account for account in backend.provisioning.accounts.get(ps_arn, {})
                if status is None or backend.provisioning.status(ps_arn, account) == status]
    page, next_token = _page(accounts, self._get_param("MaxResults"), self._get_param("NextToken"),
                             instance_arn=instance_arn, ps_arn=ps_arn, status=status)
    return json.dumps({"AccountIds": page, "NextToken": next_token})


@replace(SSOAdminResponse, "list_permission_sets_provisioned_to_account")
def _list_permission_sets_provisioned_to_account(self):
    backend = self.ssoadmin_backend
    instance_arn = self._get_param("InstanceArn")
    account = self._get_param("AccountId")
    status = self._get_param("ProvisioningStatus")
    provisioning = backend.provisioning
    arns = [ps.permission_set_arn for ps in backend.permission_sets
            if ps.instance_arn == instance_arn
            and account in provisioning.accounts.get(ps.permission_set_arn, {})
            and (status is None or provisioning.status(ps.permission_set_arn, account) == status)]
    page, next_token = _page(arns, self._get_param("MaxResults"), self._get_param("NextToken"),
                             instance_arn=instance_arn, account=account, status=status)
    return json.dumps({"PermissionSets": page, "NextToken": next_token})


# --------------------------------------------------------------------------------------------
# SSO Admin: permissions boundary (moto 5.2.1 lacks these operations and answers HTTP 500)
#
# A permission set has at most one permissions boundary: either an AWS managed policy
# (ManagedPolicyArn) or a customer managed policy reference ({Name, Path}, Path "/" when
# omitted). GetPermissionsBoundaryForPermissionSet answers ResourceNotFoundException when none
# is set. Putting or deleting the boundary is an edit: the permission set's accounts are at
# LATEST_PERMISSION_SET_NOT_PROVISIONED until it is provisioned again.
# --------------------------------------------------------------------------------------------


def _no_boundary(permission_set_arn):
    ps_id = permission_set_arn.split("/")[-1]
    return SsoNotFound(f"Could not find PermissionsBoundary for PermissionSet with id {ps_id}")


def _checked_boundary(backend, boundary):
    """The PermissionsBoundary parameter as stored; ValidationException when malformed."""
    boundary = boundary if isinstance(boundary, dict) else {}
    managed = boundary.get("ManagedPolicyArn")
    reference = boundary.get("CustomerManagedPolicyReference")
    if bool(managed) == bool(reference):
        raise JsonRESTError("ValidationException", "PermissionsBoundary needs exactly one of "
                            "CustomerManagedPolicyReference and ManagedPolicyArn")
    if managed:
        backend._find_managed_policy(managed)  # ResourceNotFoundException when unknown
        return {"ManagedPolicyArn": managed}
    if not isinstance(reference, dict) or not reference.get("Name"):
        raise JsonRESTError("ValidationException", "CustomerManagedPolicyReference needs a Name")
    return {"CustomerManagedPolicyReference": {"Name": reference["Name"],
                                               "Path": reference.get("Path") or "/"}}


@replace(SSOAdminBackend, "put_permissions_boundary_to_permission_set")
def _put_permissions_boundary(self, instance_arn, permission_set_arn, permissions_boundary):
    permission_set = self._find_permission_set(instance_arn, permission_set_arn)
    permission_set.permissions_boundary = _checked_boundary(self, permissions_boundary)


@replace(SSOAdminBackend, "delete_permissions_boundary_from_permission_set")
def _delete_permissions_boundary(self, instance_arn, permission_set_arn):
    permission_set = self._find_permission_set(instance_arn, permission_set_arn)
    if permission_set.permissions_boundary is None:
        raise _no_boundary(permission_set_arn)
    permission_set.permissions_boundary = None


_counts_as_edit("put_permissions_boundary_to_permission_set")
_counts_as_edit("delete_permissions_boundary_from_permission_set")


@replace(SSOAdminResponse, "put_permissions_boundary_to_permission_set")
def _put_permissions_boundary_response(self):
    self.ssoadmin_backend.put_permissions_boundary_to_permission_set(
        self._get_param("InstanceArn"), self._get_param("PermissionSetArn"),
        self._get_param("PermissionsBoundary"))
    return "{}"


@replace(SSOAdminResponse, "delete_permissions_boundary_from_permission_set")
def _delete_permissions_boundary_response(self):
    self.ssoadmin_backend.delete_permissions_boundary_from_permission_set(
        self._get_param("InstanceArn"), self._get_param("PermissionSetArn"))
    return "{}"


@replace(SSOAdminResponse, "get_permissions_boundary_for_permission_set")
def _get_permissions_boundary_response(self):
    ps_arn = self._get_param("PermissionSetArn")
    permission_set = self.ssoadmin_backend._find_permission_set(self._get_param("InstanceArn"),
                                                                ps_arn)
    if permission_set.permissions_boundary is None:
        raise _no_boundary(ps_arn)
    return json.dumps({"PermissionsBoundary": permission_set.permissions_boundary})


# --------------------------------------------------------------------------------------------
# SSO Admin: tags and DescribeInstance (moto 5.2.1 lacks these operations)
#
# Permission sets, instances and applications carry tags. A permission set (an application)
# starts with the Tags given to CreatePermissionSet (CreateApplication); TagResource adds keys
# or overwrites their values, UntagResource removes keys (absent keys are ignored). InstanceArn
# is optional; when given, the resource must be in that instance. ListTagsForResource returns
# all tags in one page. Tags are not part of what is provisioned, so tagging is not an edit.
# --------------------------------------------------------------------------------------------


def _tagged_resource(backend, resource_arn, instance_arn):
    for permission_set in backend.permission_sets:
        if permission_set.permission_set_arn == resource_arn:
            if instance_arn in (None, permission_set.instance_arn):
                return permission_set
    for instance in backend.instances:
        if instance.instance_arn == resource_arn and instance_arn in (None, resource_arn):
            return instance
    application = backend.applications.get(resource_arn)  # see "applications" below
    if application is not None and instance_arn in (None, application.instance_arn):
        return application
    raise SsoNotFound(f"Could not find resource with arn {resource_arn}")


@replace(SSOAdminResponse, "tag_resource")
def _tag_resource(self):
    resource = _tagged_resource(self.ssoadmin_backend, self._get_param("ResourceArn"),
                                self._get_param("InstanceArn"))
    new = {tag["Key"]: tag.get("Value", "") for tag in self._get_param("Tags") or []}
    resource.tags = ([tag for tag in resource.tags if tag["Key"] not in new]
                     + [{"Key": key, "Value": value} for key, value in new.items()])
    return "{}"


@replace(SSOAdminResponse, "untag_resource")
def _untag_resource(self):
    resource = _tagged_resource(self.ssoadmin_backend, self._get_param("ResourceArn"),
                                self._get_param("InstanceArn"))
    keys = set(self._get_param("TagKeys") or [])
    resource.tags = [tag for tag in resource.tags if tag["Key"] not in keys]
    return "{}"


@replace(SSOAdminResponse, "list_tags_for_resource")
def _list_tags_for_resource(self):
    resource = _tagged_resource(self.ssoadmin_backend, self._get_param("ResourceArn"),
                                self._get_param("InstanceArn"))
    return json.dumps({"Tags": resource.tags})


@replace(SSOAdminResponse, "describe_instance")
def _describe_instance(self):
    # The fields of ListInstances' InstanceMetadata; unset ones (Name) are absent, not null.
    arn = self._get_param("InstanceArn")
    for instance in self.ssoadmin_backend.instances:
        if instance.instance_arn == arn:
            return json.dumps({k: v for k, v in instance.to_json().items() if v is not None})
    raise SsoNotFound(f"Could not find Instance with arn {arn}")


# --------------------------------------------------------------------------------------------
# SSO Admin: input validation for the operations below
#
# AWS checks every request against the service model's constraints (required members, string
# lengths and patterns, enums, list sizes, number ranges) before anything else and answers
# ValidationException naming the first member at fault. moto checks none of them; the
# operations added below check theirs, with the constraints of botocore's sso-admin
# 2020-07-20 service-2.json (the same model the AWS SDK for JavaScript v3 is generated from).
# --------------------------------------------------------------------------------------------


class _UnicodePattern:
    """A pattern of \\p{L}\\p{Z}\\p{N} plus some ASCII, which Python's re cannot spell."""

    def __init__(self, pattern, extra):
        self.pattern, self._extra = pattern, frozenset(extra)

    def fullmatch(self, text):
        return all(ch in self._extra or unicodedata.category(ch)[0] in "LZN" for ch in text)


INSTANCE_ARN = re.compile(r"arn:aws(-[a-z]{1,5}){0,3}:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}")
APPLICATION_ARN = re.compile(
    r"arn:aws(-[a-z]{1,5}){0,3}:sso::\d{12}:application/(sso)?ins-[a-zA-Z0-9-.]{16}"
    r"/apl-[a-zA-Z0-9]{16}")
APPLICATION_PROVIDER_ARN = re.compile(
    r"arn:aws(-[a-z]{1,5}){0,3}:sso::aws:applicationProvider/[a-zA-Z0-9-/]+")
APPLICATION_URL = re.compile(
    r"http(s)?:\/\/[-a-zA-Z0-9+&@#\/%?=~_|!:,.;]*[-a-zA-Z0-9+&bb@#\/%?=~_|]")
PRINCIPAL_ID = re.compile(r"([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}"
                          r"-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}")
ACCOUNT_ID = re.compile(r"\d{12}")
CLIENT_TOKEN = re.compile(r"[!-~]+")
NEXT_TOKEN = re.compile(r"[-a-zA-Z0-9+=/_]*")
TAG_TEXT = _UnicodePattern(r"([\p{L}\p{Z}\p{N}_.:/=+\-@]*)", "_.:/=+-@")
ABAC_KEY = _UnicodePattern(r"[\p{L}\p{Z}\p{N}_.:\/=+\-@]+", "_.:/=+-@")
ABAC_SOURCE = _UnicodePattern(r'[\p{L}\p{Z}\p{N}_.:\/=+\-@\[\]\{\}\$\\"]*', '_.:/=+-@[]{}$\\"')
PRINCIPAL_TYPES = ("USER", "GROUP")
ENABLED_OR_DISABLED = ("ENABLED", "DISABLED")
SIGN_IN_ORIGINS = ("IDENTITY_CENTER", "APPLICATION")


def _invalid(where, value, constraint):
    shown = "null" if value is None else f"'{value}'"
    return JsonRESTError("ValidationException", f"1 validation error detected: Value {shown} at "
                         f"'{where}' failed to satisfy constraint: {constraint}")


def _string(value, where, required=False, low=None, high=None, pattern=None, enum=None):
    """value if it meets the constraints (None if absent and optional), else ValidationException."""
    if value is None:
        if required:
            raise _invalid(where, None, "Member must not be null")
        return None
    if not isinstance(value, str):
        raise _invalid(where, value, "Member must be a string")
    if low is not None and len(value) < low:
        raise _invalid(where, value, f"Member must have length greater than or equal to {low}")
    if high is not None and len(value) > high:
        raise _invalid(where, value, f"Member must have length less than or equal to {high}")
    if pattern is not None and not pattern.fullmatch(value):
        raise _invalid(where, value,
                       f"Member must satisfy regular expression pattern: {pattern.pattern}")
    if enum is not None and value not in enum:
        raise _invalid(where, value, f"Member must satisfy enum value set: [{', '.join(enum)}]")
    return value


def _list(value, where, required=False, low=None, high=None):
    if value is None:
        if required:
            raise _invalid(where, None, "Member must not be null")
        return None
    if not isinstance(value, list):
        raise _invalid(where, value, "Member must be a list")
    if low is not None and len(value) < low:
        raise _invalid(where, value, f"Member must have length greater than or equal to {low}")
    if high is not None and len(value) > high:
        raise _invalid(where, value, f"Member must have length less than or equal to {high}")
    return value


def _structure(value, where, required=False):
    if value is None:
        if required:
            raise _invalid(where, None, "Member must not be null")
        return None
    if not isinstance(value, dict):
        raise _invalid(where, value, "Member must be a structure")
    return value


def _boolean(value, where):
    if not isinstance(value, bool):
        raise _invalid(where, value, "Member must not be null" if value is None
                       else "Member must be a boolean")
    return value


def _paging(response):
    """(MaxResults, NextToken) of a List request, checked: MaxResults 1 to 100."""
    max_results = response._get_param("MaxResults")
    if max_results is not None and (isinstance(max_results, bool)
                                    or not isinstance(max_results, int)
                                    or not 1 <= max_results <= 100):
        raise _invalid("MaxResults", max_results,
                       "Member must have value between 1 and 100 inclusive")
    next_token = _string(response._get_param("NextToken"), "NextToken", high=2048,
                         pattern=NEXT_TOKEN)
    return max_results, next_token or None


def _model_page(values, max_results, next_token, **params):
    """_page, with a NextToken it cannot use (malformed, or of other parameters) answered as
    ValidationException, the error the model has for it (moto's InvalidToken is not in it)."""
    try:
        return _page(values, max_results, next_token, **params)
    except InvalidToken:
        raise JsonRESTError("ValidationException",
                            "The NextToken is not valid for this request") from None


def _tags(value):
    tags = _list(value, "Tags", high=75) or []
    for i, tag in enumerate(tags):
        tag = _structure(tag, f"Tags.{i + 1}.member", required=True)
        _string(tag.get("Key"), f"Tags.{i + 1}.member.Key", True, 1, 128, TAG_TEXT)
        _string(tag.get("Value"), f"Tags.{i + 1}.member.Value", True, 0, 256, TAG_TEXT)
    return [{"Key": tag["Key"], "Value": tag["Value"]} for tag in tags]


def _instance(backend, instance_arn, where="InstanceArn"):
    """The backend's instance with this ARN; ValidationException or ResourceNotFoundException."""
    _string(instance_arn, where, True, 10, 1224, INSTANCE_ARN)
    for instance in backend.instances:
        if instance.instance_arn == instance_arn:
            return instance
    raise SsoNotFound(f"Could not find Instance with arn {instance_arn}")


def _drop_none(record):
    return {k: v for k, v in record.items() if v is not None}


# --------------------------------------------------------------------------------------------
# SSO Admin: applications (moto 5.2.1 lacks these operations)
#
# An application belongs to an instance; its ARN is arn:aws:sso::<account>:application/
# ssoins-<16 hex>/apl-<16 hex>, the instance's ID and a new lowercase hex ID, as AWS makes
# them. ApplicationAccount is the backend's account, CreatedFrom its region. Choices where
# AWS documents nothing (see the API reference, docs.aws.amazon.com/singlesignon/latest/
# APIReference/API_CreateApplication.html and API_CreateApplicationAssignment.html):
#
#   - Names need not be unique: the API reference states no uniqueness, so a second
#     application with the same Name in an instance is created (unlike permission sets).
#   - Any ApplicationProviderArn matching the model's pattern is accepted (AWS's own
#     CreateApplication takes only OAuth 2.0 customer managed applications, provider
#     arn:aws:sso::aws:applicationProvider/custom; tests may want to stand in for others).
#   - Status defaults to ENABLED and PortalOptions to {"Visibility": "ENABLED"}: AWS answers
#     both for an application created without them (the Terraform provider treats both as
#     computed, and ignores a PortalOptions holding only Visibility).
#   - ClientToken (the SDKs send a random one when the caller gives none): the same token
#     with the same parameters answers the application created first, with other parameters
#     IdempotentParameterMismatch, as the API reference's ClientToken member says.
#   - A principal is assigned once: a second CreateApplicationAssignment of the same
#     (PrincipalType, PrincipalId) is refused with ConflictException, as account assignments
#     are here. Principals are not looked up in the identity store (nor are they for account
#     assignments).
#   - AssignmentRequired is true for a new application: "If AssignmentsRequired is true
#     (default value) ..." (API_PutApplicationAssignmentConfiguration.html).
#   - ListApplicationAssignmentsForPrincipal lists the principal's direct assignments only
#     (for a user, not those of its groups).
#
# DeleteApplication also deletes its assignments and assignment configuration. Pages: at
# most 50 applications (the model's ApplicationList has at most 50 members), at most 100
# assignments, MaxResults 1 to 100.
# --------------------------------------------------------------------------------------------


@dataclass
class Application:
    arn: str
    instance_arn: str
    identity_store_arn: str
    provider_arn: str
    name: str
    account: str
    region: str
    description: str = None
    status: str = "ENABLED"
    portal_options: dict = field(default_factory=lambda: {"Visibility": "ENABLED"})
    tags: list = field(default_factory=list)
    created_date: float = field(default_factory=unix_time)
    assignment_required: bool = True
    assignments: dict = field(default_factory=dict)  # (PrincipalType, PrincipalId) -> None

    def to_json(self):
        return _drop_none({
            "ApplicationArn": self.arn, "ApplicationProviderArn": self.provider_arn,
            "Name": self.name, "ApplicationAccount": self.account,
            "InstanceArn": self.instance_arn, "IdentityStoreArn": self.identity_store_arn,
            "Status": self.status, "PortalOptions": self.portal_options,
            "Description": self.description, "CreatedDate": self.created_date,
            "CreatedFrom": self.region})


@wrap(SSOAdminBackend, "__init__")
def _init_backend_with_applications(original, self, region_name, account_id):
    original(self, region_name, account_id)
    # Rebuilt by POST /moto-api/reset, like all backend state.
    self.applications = {}              # ApplicationArn -> Application, in creation order
    self.application_client_tokens = {}  # ClientToken -> (request parameters, ApplicationArn)
    self.access_control_attributes = {}  # InstanceArn -> AccessControlAttributes (see ABAC)


def _application(backend, application_arn, where="ApplicationArn"):
    _string(application_arn, where, True, 10, 1224, APPLICATION_ARN)
    application = backend.applications.get(application_arn)
    if application is None:
        raise SsoNotFound(f"Could not find Application with arn {application_arn}")
    return application


def _sign_in_options(value, where):
    options = _structure(value, where)
    if options is None:
        return None
    origin = _string(options.get("Origin"), f"{where}.Origin", True, enum=SIGN_IN_ORIGINS)
    url = _string(options.get("ApplicationUrl"), f"{where}.ApplicationUrl", False, 1, 512,
                  APPLICATION_URL)
    if origin == "APPLICATION" and url is None:
        # "This is a required parameter if the Origin parameter is APPLICATION."
        raise JsonRESTError("ValidationException",
                            "ApplicationUrl is required when the sign-in Origin is APPLICATION")
    return _drop_none({"Origin": origin, "ApplicationUrl": url})


def _portal_options(value, where="PortalOptions", with_visibility=True):
    options = _structure(value, where)
    if options is None:
        return None
    result = {"SignInOptions": _sign_in_options(options.get("SignInOptions"),
                                                f"{where}.SignInOptions")}
    if with_visibility:  # UpdateApplication's UpdateApplicationPortalOptions has no Visibility
        result["Visibility"] = _string(options.get("Visibility"), f"{where}.Visibility",
                                       enum=ENABLED_OR_DISABLED)
    return _drop_none(result)


@replace(SSOAdminResponse, "create_application")
def _create_application(self):
    backend = self.ssoadmin_backend
    instance = _instance(backend, self._get_param("InstanceArn"))
    provider = _string(self._get_param("ApplicationProviderArn"), "ApplicationProviderArn", True,
                       10, 1224, APPLICATION_PROVIDER_ARN)
    name = _string(self._get_param("Name"), "Name", True, 1, 100)
    description = _string(self._get_param("Description"), "Description", False, 1, 128)
    portal_options = _portal_options(self._get_param("PortalOptions"))
    status = _string(self._get_param("Status"), "Status", enum=ENABLED_OR_DISABLED)
    tags = _tags(self._get_param("Tags"))
    token = _string(self._get_param("ClientToken"), "ClientToken", False, 1, 64, CLIENT_TOKEN)

    params = json.dumps({k: v for k, v in json.loads(self.body or "{}").items()
                         if k != "ClientToken"}, sort_keys=True)
    if token in backend.application_client_tokens:
        first_params, arn = backend.application_client_tokens[token]
        if first_params != params:
            raise JsonRESTError("IdempotentParameterMismatch",
                                "ClientToken was used before with other parameters")
        if arn in backend.applications:  # a retry: the application created first
            return json.dumps(_created(backend.applications[arn]))

    instance_id = instance.instance_arn.rsplit("/", 1)[-1]
    partition = get_partition(backend.region_name)
    application = Application(
        arn=(f"arn:{partition}:sso::{backend.account_id}:application/{instance_id}/"
             f"apl-{mock_random.get_random_hex(16)}"),
        instance_arn=instance.instance_arn,
        identity_store_arn=(f"arn:{partition}:identitystore::{backend.account_id}:identitystore/"
                            f"{instance.identity_store_id}"),
        provider_arn=provider, name=name, account=backend.account_id,
        region=backend.region_name, description=description, tags=tags)
    if status:
        application.status = status
    if portal_options:
        application.portal_options = {"Visibility": "ENABLED", **portal_options}
    backend.applications[application.arn] = application
    if token:
        backend.application_client_tokens[token] = (params, application.arn)
    return json.dumps(_created(application))


def _created(application):
    return {"ApplicationArn": application.arn, "InstanceArn": application.instance_arn,
            "IdentityStoreArn": application.identity_store_arn}


@replace(SSOAdminResponse, "describe_application")
def _describe_application(self):
    application = _application(self.ssoadmin_backend, self._get_param("ApplicationArn"))
    return json.dumps(application.to_json())


@replace(SSOAdminResponse, "update_application")
def _update_application(self):
    application = _application(self.ssoadmin_backend, self._get_param("ApplicationArn"))
    name = _string(self._get_param("Name"), "Name", False, 1, 100)
    description = _string(self._get_param("Description"), "Description", False, 1, 128)
    status = _string(self._get_param("Status"), "Status", enum=ENABLED_OR_DISABLED)
    portal_options = _portal_options(self._get_param("PortalOptions"), with_visibility=False)
    # Members absent from the request keep their values.
    application.name = name if name is not None else application.name
    application.description = description if description is not None else application.description
    application.status = status or application.status
    if portal_options and "SignInOptions" in portal_options:
        application.portal_options = {**application.portal_options,
                                      "SignInOptions": portal_options["SignInOptions"]}
    return "{}"


@replace(SSOAdminResponse, "delete_application")
def _delete_application(self):
    backend = self.ssoadmin_backend
    application = _application(backend, self._get_param("ApplicationArn"))
    # Its assignments and assignment configuration live on the record and go with it.
    del backend.applications[application.arn]
    backend.application_client_tokens = {
        token: entry for token, entry in backend.application_client_tokens.items()
        if entry[1] != application.arn}
    return "{}"


@replace(SSOAdminResponse, "list_applications")
def _list_applications(self):
    backend = self.ssoadmin_backend
    # ListApplications has no ResourceNotFoundException: an instance of another account or
    # region (or none) simply has no applications here.
    instance_arn = _string(self._get_param("InstanceArn"), "InstanceArn", True, 10, 1224,
                           INSTANCE_ARN)
    max_results, next_token = _paging(self)
    wanted = _structure(self._get_param("Filter"), "Filter") or {}
    account = _string(wanted.get("ApplicationAccount"), "Filter.ApplicationAccount", False, 12,
                      12, ACCOUNT_ID)
    provider = _string(wanted.get("ApplicationProvider"), "Filter.ApplicationProvider", False,
                       10, 1224, APPLICATION_PROVIDER_ARN)
    arns = [a.arn for a in backend.applications.values()
            if a.instance_arn == instance_arn
            and account in (None, a.account) and provider in (None, a.provider_arn)]
    page, next_token = _model_page(arns, min(max_results or 50, 50), next_token,
                                   instance_arn=instance_arn, account=account, provider=provider)
    return json.dumps(_drop_none({
        "Applications": [backend.applications[arn].to_json() for arn in page],
        "NextToken": next_token}))


def _principal(response):
    principal_id = _string(response._get_param("PrincipalId"), "PrincipalId", True, 1, 47,
                           PRINCIPAL_ID)
    principal_type = _string(response._get_param("PrincipalType"), "PrincipalType", True,
                             enum=PRINCIPAL_TYPES)
    return principal_type, principal_id


def _assignment_json(application, key):
    return {"ApplicationArn": application.arn, "PrincipalType": key[0], "PrincipalId": key[1]}


def _no_assignment(application, key):
    return SsoNotFound(f"Could not find an assignment of {key[0]} {key[1]} to the application "
                       f"with arn {application.arn}")


@replace(SSOAdminResponse, "create_application_assignment")
def _create_application_assignment(self):
    application = _application(self.ssoadmin_backend, self._get_param("ApplicationArn"))
    key = _principal(self)
    if key in application.assignments:
        raise SsoConflict(f"{key[0]} {key[1]} is already assigned to the application.")
    application.assignments[key] = None
    return "{}"


@replace(SSOAdminResponse, "delete_application_assignment")
def _delete_application_assignment(self):
    application = _application(self.ssoadmin_backend, self._get_param("ApplicationArn"))
    key = _principal(self)
    if key not in application.assignments:
        raise _no_assignment(application, key)
    del application.assignments[key]
    return "{}"


@replace(SSOAdminResponse, "describe_application_assignment")
def _describe_application_assignment(self):
    application = _application(self.ssoadmin_backend, self._get_param("ApplicationArn"))
    key = _principal(self)
    if key not in application.assignments:
        raise _no_assignment(application, key)
    return json.dumps(_assignment_json(application, key))


@replace(SSOAdminResponse, "list_application_assignments")
def _list_application_assignments(self):
    application = _application(self.ssoadmin_backend, self._get_param("ApplicationArn"))
    max_results, next_token = _paging(self)
    keys = [f"{principal_type}:{principal_id}"
            for principal_type, principal_id in application.assignments]
    page, next_token = _model_page(keys, max_results, next_token, application_arn=application.arn)
    return json.dumps(_drop_none({
        "ApplicationAssignments": [_assignment_json(application, tuple(k.split(":", 1)))
                                   for k in page],
        "NextToken": next_token}))


@replace(SSOAdminResponse, "list_application_assignments_for_principal")
def _list_application_assignments_for_principal(self):
    backend = self.ssoadmin_backend
    instance = _instance(backend, self._get_param("InstanceArn"))
    key = _principal(self)
    wanted = _structure(self._get_param("Filter"), "Filter") or {}
    only = _string(wanted.get("ApplicationArn"), "Filter.ApplicationArn", False, 10, 1224,
                   APPLICATION_ARN)
    max_results, next_token = _paging(self)
    arns = [a.arn for a in backend.applications.values()
            if a.instance_arn == instance.instance_arn and only in (None, a.arn)
            and key in a.assignments]
    page, next_token = _model_page(arns, max_results, next_token,
                                   instance_arn=instance.instance_arn, principal=key, only=only)
    return json.dumps(_drop_none({
        "ApplicationAssignments": [_assignment_json(backend.applications[arn], key)
                                   for arn in page],
        "NextToken": next_token}))


@replace(SSOAdminResponse, "get_application_assignment_configuration")
def _get_application_assignment_configuration(self):
    application = _application(self.ssoadmin_backend, self._get_param("ApplicationArn"))
    return json.dumps({"AssignmentRequired": application.assignment_required})


@replace(SSOAdminResponse, "put_application_assignment_configuration")
def _put_application_assignment_configuration(self):
    application = _application(self.ssoadmin_backend, self._get_param("ApplicationArn"))
    application.assignment_required = _boolean(self._get_param("AssignmentRequired"),
                                               "AssignmentRequired")
    return "{}"


# --------------------------------------------------------------------------------------------
# SSO Admin: attribute-based access control (moto 5.2.1 lacks these operations)
#
# An instance has at most one access control attribute configuration: a list of up to 50
# {Key, Value: {Source: [one source]}}. Create refuses a second one (ConflictException);
# Update replaces the list and Delete removes it, both ResourceNotFoundException when there is
# none. Describe answers Status ENABLED at once (AWS may pass through CREATION_IN_PROGRESS) and
# no StatusReason; when ABAC was never enabled (or was deleted) it answers
# ResourceNotFoundException, the error the API reference lists for it
# (docs.aws.amazon.com/singlesignon/latest/APIReference/
# API_DescribeInstanceAccessControlAttributeConfiguration.html) and the one the Terraform
# provider's reader takes for "no configuration" (internal/service/ssoadmin/
# instance_access_control_attributes.go). Keys are checked against the model (1 to 128
# characters of [\p{L}\p{Z}\p{N}_.:\/=+\-@]), sources too (0 to 256 characters); the model
# says nothing against repeating a key, so a repeated key is kept as given.
# --------------------------------------------------------------------------------------------


def _access_control_attributes(response):
    where = "InstanceAccessControlAttributeConfiguration"
    configuration = _structure(response._get_param(where), where, required=True)
    where += ".AccessControlAttributes"
    attributes = _list(configuration.get("AccessControlAttributes"), where, True, 0, 50)
    checked = []
    for i, attribute in enumerate(attributes):
        at = f"{where}.{i + 1}.member"
        attribute = _structure(attribute, at, required=True)
        key = _string(attribute.get("Key"), f"{at}.Key", True, 1, 128, ABAC_KEY)
        value = _structure(attribute.get("Value"), f"{at}.Value", required=True)
        sources = _list(value.get("Source"), f"{at}.Value.Source", True, 1, 1)
        for j, source in enumerate(sources):
            _string(source, f"{at}.Value.Source.{j + 1}.member", True, 0, 256, ABAC_SOURCE)
        checked.append({"Key": key, "Value": {"Source": list(sources)}})
    return checked


def _no_access_control_attributes(instance_arn):
    return SsoNotFound(f"No access control attribute configuration exists for the instance "
                       f"with arn {instance_arn}")


@replace(SSOAdminResponse, "create_instance_access_control_attribute_configuration")
def _create_access_control_attributes(self):
    backend = self.ssoadmin_backend
    instance = _instance(backend, self._get_param("InstanceArn"))
    attributes = _access_control_attributes(self)
    if instance.instance_arn in backend.access_control_attributes:
        raise SsoConflict("An access control attribute configuration already exists for the "
                          f"instance with arn {instance.instance_arn}.")
    backend.access_control_attributes[instance.instance_arn] = attributes
    return "{}"


@replace(SSOAdminResponse, "update_instance_access_control_attribute_configuration")
def _update_access_control_attributes(self):
    backend = self.ssoadmin_backend
    instance = _instance(backend, self._get_param("InstanceArn"))
    attributes = _access_control_attributes(self)
    if instance.instance_arn not in backend.access_control_attributes:
        raise _no_access_control_attributes(instance.instance_arn)
    backend.access_control_attributes[instance.instance_arn] = attributes
    return "{}"


@replace(SSOAdminResponse, "delete_instance_access_control_attribute_configuration")
def _delete_access_control_attributes(self):
    backend = self.ssoadmin_backend
    instance = _instance(backend, self._get_param("InstanceArn"))
    if backend.access_control_attributes.pop(instance.instance_arn, None) is None:
        raise _no_access_control_attributes(instance.instance_arn)
    return "{}"


@replace(SSOAdminResponse, "describe_instance_access_control_attribute_configuration")
def _describe_access_control_attributes(self):
    backend = self.ssoadmin_backend
    instance = _instance(backend, self._get_param("InstanceArn"))
    attributes = backend.access_control_attributes.get(instance.instance_arn)
    if attributes is None:
        raise _no_access_control_attributes(instance.instance_arn)
    return json.dumps({"Status": "ENABLED",
                       "InstanceAccessControlAttributeConfiguration":
                           {"AccessControlAttributes": attributes}})


# --------------------------------------------------------------------------------------------
# Rate limiting, latency, fault injection and call counting (a WSGI layer in front of moto)
# --------------------------------------------------------------------------------------------

IDC_TARGET_PREFIXES = {"AWSIdentityStore", "SWBExternalService"}  # Identity Store, SSO Admin
CALLS_PATH = "/moto-api/idc/calls"
TPS_PATH = "/moto-api/idc/tps"  # change the rate limit while running: seed fast, then read at 20/s


@dataclass(frozen=True)
class Settings:
    tps: float = 0.0               # 0: no rate limit
    latency_ms: float = 0.0
    fault_rate: float = 0.0
    fault_seed: int = 0
    fault_ops: frozenset = frozenset()  # empty: every operation

    @classmethod
    def from_env(cls, env=os.environ):
        def number(name, kind, default, low=0.0, high=float("inf")):
            raw = env.get(name, "").strip()
            try:
                value = kind(raw) if raw else default
            except ValueError:
                raise SystemExit(f"idc_server: {name}={raw!r} is not a {kind.__name__}")
            if not low <= value <= high:
                raise SystemExit(f"idc_server: {name}={raw} is outside [{low}, {high}]")
            return value

        ops = frozenset(op.strip() for op in env.get("IDC_FAULT_OPS", "").split(",") if op.strip())
        return cls(tps=number("IDC_TPS", float, 0.0),
                   latency_ms=number("IDC_LATENCY_MS", float, 0.0),
                   fault_rate=number("IDC_FAULT_RATE", float, 0.0, high=1.0),
                   fault_seed=number("IDC_FAULT_SEED", int, 0, low=-float("inf")),
                   fault_ops=ops)


# AWS JSON services answer a request over the rate like this; the SDKs classify it by __type
# (HTTP 400 matters too: botocore's legacy retry mode matches "400 + ThrottlingException").
THROTTLED = {"__type": "ThrottlingException", "message": "Rate exceeded"}
FAULT = {"__type": "InternalServerException",
         "Message": "Internal server error (injected: IDC_FAULT_RATE)"}


class TokenBucket:
    """`rate` tokens a second, holding at most max(rate, 1): a full bucket is a burst of TPS."""

    def __init__(self, rate):
        self.rate, self.capacity = rate, max(rate, 1.0)
        self._lock = threading.Lock()
        self.refill()

    def refill(self):
        with self._lock:
            self._tokens, self._stamp = self.capacity, time.monotonic()

    def take(self):
        """Take a token; False when there is none, i.e. the request is over the rate."""
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            if self._tokens < 1:
                return False
            self._tokens -= 1
            return True


class FaultPlan:
    """One seeded draw per eligible request, in arrival order: the same calls fail every run."""

    def __init__(self, rate, seed, operations):
        self.rate, self.seed, self.operations = rate, seed, operations
        self._lock = threading.Lock()
        self.restart()

    def restart(self):
        with self._lock:
            self._random = random.Random(self.seed)

    def should_fail(self, operation):
        if not self.rate or (self.operations and operation not in self.operations):
            return False
        with self._lock:
            return self._random.random() < self.rate


class CallLog:
    """The counters behind GET /moto-api/idc/calls."""

    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self._by_operation, self._outcomes = Counter(), Counter()

    def record(self, operation):
        with self._lock:
            self._by_operation[operation] += 1

    def record_outcome(self, outcome):  # "throttled" or "faulted"
        with self._lock:
            self._outcomes[outcome] += 1

    def snapshot(self):
        with self._lock:
            return {"total": sum(self._by_operation.values()),
                    "byOperation": dict(sorted(self._by_operation.items())),
                    "throttled": self._outcomes["throttled"],
                    "faulted": self._outcomes["faulted"]}


class IdcMiddleware:
    """Counts every Identity Store / SSO Admin request, then delays, throttles or faults it.

    total/byOperation count requests as received, including those answered with
    ThrottlingException or InternalServerException, so an SDK's retries show up.
    """

    def __init__(self, app, settings):
        self.app = app
        self.latency_s = settings.latency_ms / 1000
        self.calls = CallLog()
        self.bucket = TokenBucket(settings.tps) if settings.tps > 0 else None
        self.faults = FaultPlan(settings.fault_rate, settings.fault_seed, settings.fault_ops)

    def reset(self):
        self.calls.reset()
        if self.bucket:
            self.bucket.refill()
        self.faults.restart()

    def __call__(self, environ, start_response):
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path == CALLS_PATH and method == "GET":
            return _reply(start_response, 200, self.calls.snapshot(), "application/json")
        if path == CALLS_PATH + "/reset" and method == "POST":
            self.calls.reset()
            return _reply(start_response, 200, {"status": "ok"}, "application/json")
        if path == TPS_PATH:
            if method == "POST":
                try:
                    value = float(parse_qs(environ.get("QUERY_STRING", ""))["value"][0])
                    if value < 0:
                        raise ValueError
                except (KeyError, IndexError, ValueError):
                    return _reply(start_response, 400, {"error": "need ?value=N with N >= 0"},
                                  "application/json")
                self.bucket = TokenBucket(value) if value > 0 else None
            return _reply(start_response, 200, {"tps": self.bucket.rate if self.bucket else 0},
                          "application/json")
        if path == "/moto-api/reset" and method == "POST":
            self.reset()  # then moto resets its backends, and with them the patches' state

        service, _, operation = environ.get("HTTP_X_AMZ_TARGET", "").partition(".")
        if service in IDC_TARGET_PREFIXES:
            refusal = self._admit(operation)
            if refusal:
                return _reply(start_response, *refusal)
        return self.app(environ, start_response)

    def _admit(self, operation):
        """None to pass the request on to moto, or the (status, body) to answer instead."""
        if self.latency_s:
            time.sleep(self.latency_s)
        self.calls.record(operation)
        if self.bucket and not self.bucket.take():
            self.calls.record_outcome("throttled")
            return 400, THROTTLED
        if self.faults.should_fail(operation):
            self.calls.record_outcome("faulted")
            return 500, FAULT
        return None


def _reply(start_response, status, body, content_type="application/x-amz-json-1.1"):
    payload = json.dumps(body).encode()
    reason = {200: "OK", 400: "Bad Request", 500: "Internal Server Error"}[status]
    start_response(f"{status} {reason}", [("Content-Type", content_type),
                                          ("Content-Length", str(len(payload))),
                                          ("x-amzn-RequestId", str(uuid.uuid4()))])
    return [payload]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-H", "--host", default="127.0.0.1", help="address to bind")
    parser.add_argument("-p", "--port", type=int, default=5055, help="port to listen on")
    args = parser.parse_args(argv)
    settings = Settings.from_env()

    os.environ.setdefault("MOTO_PORT", str(args.port))  # moto's own default, for its self-calls
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: sys.exit(0))

    app = IdcMiddleware(DomainDispatcherApplication(create_backend_app), settings)
    print(f"idc_server: http://{args.host}:{args.port} {settings}", file=sys.stderr, flush=True)
    run_simple(args.host, args.port, app, threaded=True)


if __name__ == "__main__":
    main()
