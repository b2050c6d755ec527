import { Inject, UseGuards, type Type } from '@nestjs/common';
import { LoginThrottlerGuard } from '../security/login-throttler.guard.js';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Args, Context, Field, InputType, Mutation, Query, Resolver } from '@nestjs/graphql';
import { operationDeclarations, type OperationDeclaration } from '@radledger/domain';
import type { Caller } from '@radledger/application';
import { argumentsOf, inputTypeOf } from '../graphql/graphql-types.js';
import { CommandOptionsInput } from './command-io.model.js';
import { RunOperation, ReadOperation } from './operation.messages.js';
import { outputOf } from './operation-outputs.js';
import { currentCorrelationId } from '../logging/request-context.js';

@InputType({ description: "21 CFR 11.200(a)(1): the signer's password re-entered (not needed with a session token issued within the last 5 minutes)." })
export class SignerCredentialsInput {
  @Field(() => String, { nullable: true }) password?: string;
}

/** Operations whose GraphQL form takes plain arguments instead of one `input` object (kept for the clients that use them). */
const PLAIN_ARGUMENTS: ReadonlySet<string> = new Set(['login', 'changePassword', 'exportDossier']);

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

type Request = { caller?: Caller };

/**
 * One resolver class per declared operation, built from its declaration: the input type and
 * arguments from its schema, the description, the output from operation-outputs.ts. A resolver
 * puts the call on the CQRS bus and knows no rule: validation, access and blinding happen in
 * the application gateway.
 */
function resolverFor(declaration: OperationDeclaration): Type<unknown> {
  const output = outputOf(declaration.field);
  const name = `${capitalise(declaration.field)}Resolver`;
  const cls = {
    [name]: class {
      constructor(
        readonly commands: CommandBus,
        readonly queries: QueryBus,
      ) {}
    },
  }[name]!;
  Inject(CommandBus)(cls, undefined, 0);
  Inject(QueryBus)(cls, undefined, 1);
  const proto = cls.prototype as unknown as Record<string, unknown>;

  const present = (value: unknown) => (output.present ? output.present(value) : value);
  const schema = declaration.input as unknown as Record<string, unknown>;

  // Nest's decorators read the reflected parameter and return types even when given explicit ones.
  const reflect = (count: number) => {
    Reflect.defineMetadata('design:paramtypes', Array.from({ length: count }, () => Object), proto, 'run');
    Reflect.defineMetadata('design:returntype', Promise, proto, 'run');
  };
  if (declaration.kind === 'query') {
    const args = argumentsOf(schema, declaration.field);
    proto['run'] = async function (this: InstanceType<typeof cls>, ...values: unknown[]) {
      const req = values[args.length] as Request;
      const input = Object.fromEntries(args.map((a, i) => [a.name, values[i]]).filter(([, v]) => v !== undefined && v !== null));
      return present(await this.queries.execute(new ReadOperation(declaration.field, input, req.caller)));
    };
    reflect(args.length + 1);
    args.forEach((a, i) => Args(a.name, { type: () => a.type, nullable: a.nullable, ...(a.description ? { description: a.description } : {}), ...(a.defaultValue !== undefined ? { defaultValue: a.defaultValue } : {}) })(proto, 'run', i));
    Context('req')(proto, 'run', args.length);
    Query(output.type, { name: declaration.field, description: declaration.description })(proto, 'run', Object.getOwnPropertyDescriptor(proto, 'run')!);
  } else if (declaration.kind === 'mutation' || declaration.kind === 'action') {
    const plain = PLAIN_ARGUMENTS.has(declaration.field);
    const signs = declaration.kind === 'action' && declaration.signs === true;
    const many = declaration.kind === 'action' && declaration.many === true;
    const args = plain ? argumentsOf(schema, declaration.field) : [];
    const slots = plain ? args.length : 1;
    proto['run'] = async function (this: InstanceType<typeof cls>, ...values: unknown[]) {
      const input = plain ? Object.fromEntries(args.map((a, i) => [a.name, values[i]]).filter(([, v]) => v !== undefined && v !== null)) : plainJson(values[0]);
      const options = (values[slots] ?? {}) as CommandOptionsInput;
      const credentials = (signs ? values[slots + 1] : undefined) as SignerCredentialsInput | undefined;
      const req = values[slots + (signs ? 2 : 1)] as Request;
      return present(
        await this.commands.execute(
          new RunOperation(declaration.field, input, req.caller, {
            commandId: options.commandId ?? null,
            expectedRevision: options.expectedRevision ?? null,
            reason: options.reason ?? null,
            correlationId: currentCorrelationId() ?? null,
            password: credentials?.password ?? null,
          }),
        ),
      );
    };
    reflect(slots + (signs ? 3 : 2));
    if (plain) {
      args.forEach((a, i) => Args(a.name, { type: () => a.type, nullable: a.nullable, ...(a.description ? { description: a.description } : {}) })(proto, 'run', i));
    } else {
      const inputType = inputTypeOf(schema, capitalise(declaration.field));
      Args(many ? 'inputs' : 'input', { type: () => (many ? [inputType] : inputType) })(proto, 'run', 0);
    }
    Args('options', { type: () => CommandOptionsInput, nullable: true })(proto, 'run', slots);
    if (signs) Args('credentials', { type: () => SignerCredentialsInput, nullable: true })(proto, 'run', slots + 1);
    Context('req')(proto, 'run', slots + (signs ? 2 : 1));
    // Public mutations (login, changePassword) take passwords: limited per client address before the per-account lock-out.
    if (declaration.access.scope.kind === 'public') UseGuards(LoginThrottlerGuard)(proto, 'run', Object.getOwnPropertyDescriptor(proto, 'run')!);
    Mutation(output.type, { name: declaration.field, description: declaration.description })(proto, 'run', Object.getOwnPropertyDescriptor(proto, 'run')!);
  }
  Resolver()(cls);
  return cls;
}

/** GraphQL input objects are class instances with null-prototype children: the application gets plain JSON data. */
function plainJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** Every GraphQL operation, derived from the declarations (routes are served by their controllers). */
export const operationResolvers: Type<unknown>[] = (operationDeclarations as readonly OperationDeclaration[]).filter((d) => d.kind !== 'route').map(resolverFor);
