import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('Reproduction')
export class ReproductionModel {
  @Field() id!: string;
  @Field({ description: 'MATCH, MISMATCH or NOT_REPRODUCIBLE' }) status!: string;
  @Field(() => String, { nullable: true }) reason?: string;
  @Field(() => [String]) differences!: string[];
}
