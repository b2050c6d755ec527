/**
 * JSON Schema of RadiomicsSettings. The committed copy in
 * schemas/radiomics-settings.schema.json must equal this object (a unit test checks it;
 * regenerate with `node --import @swc-node/register/esm-register
 * libs/radiomics/scripts/write-settings-schema.ts`).
 */
import { ALL_FEATURE_FAMILIES } from '../volume.js';

const positive = { type: 'number', exclusiveMinimum: 0 } as const;
const positiveInt = { type: 'integer', minimum: 1 } as const;

/** `{ method: '<name>' }` and nothing else: the 'step not applied' variant of every oneOf. */
const methodOnly = (name: string) => methodOnlyNamed('method', name);
function methodOnlyNamed<K extends string>(key: K, name: string) {
  return { type: 'object', additionalProperties: false, required: [key], properties: { [key]: { const: name } } as Record<K, { const: string }> } as const;
}

const discretisation = {
  oneOf: [
    methodOnly('none'),
    {
      type: 'object',
      additionalProperties: false,
      required: ['method', 'bins'],
      properties: { method: { const: 'fixed-bin-number' }, bins: positiveInt },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['method', 'width', 'lowerBound'],
      properties: {
        method: { const: 'fixed-bin-size' },
        width: positive,
        lowerBound: { type: ['number', 'null'] },
      },
    },
  ],
} as const;

export const radiomicsSettingsSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://radledger.example/schemas/radiomics-settings.schema.json',
  title: 'RadiomicsSettings',
  description: 'The whole IBSI chapter 1 configuration of a RadLedger feature computation.',
  type: 'object',
  additionalProperties: false,
  required: [
    'schemaVersion',
    'sliceMode',
    'intensityNormalisation',
    'resampling',
    'reSegmentation',
    'discretisation',
    'texture',
    'morphology',
    'families',
  ],
  properties: {
    schemaVersion: { const: 1 },
    sliceMode: { enum: ['2D', '3D'] },
    intensityNormalisation: {
      oneOf: [
        methodOnly('none'),
        methodOnly('z-score'),
        {
          type: 'object',
          additionalProperties: false,
          required: ['method', 'scale', 'outlierClip'],
          properties: {
            method: { const: 'image-z-score' },
            scale: positive,
            outlierClip: { oneOf: [{ type: 'null' }, positive] },
          },
        },
      ],
    },
    resampling: {
      oneOf: [
        methodOnly('none'),
        {
          type: 'object',
          additionalProperties: false,
          required: [
            'method',
            'spacing',
            'imageInterpolation',
            'maskInterpolation',
            'partialVolumeThreshold',
            'intensityRounding',
          ],
          properties: {
            method: { const: 'resample' },
            spacing: {
              type: 'array',
              items: { type: ['number', 'null'], exclusiveMinimum: 0 },
              minItems: 3,
              maxItems: 3,
            },
            imageInterpolation: { enum: ['nearest', 'linear', 'cubic-spline'] },
            maskInterpolation: { enum: ['nearest', 'linear'] },
            partialVolumeThreshold: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
            intensityRounding: { enum: ['none', 'nearest-integer'] },
          },
        },
      ],
    },
    reSegmentation: {
      type: 'object',
      additionalProperties: false,
      required: ['range', 'outlierFiltering'],
      properties: {
        range: {
          oneOf: [
            { type: 'null' },
            {
              type: 'array',
              minItems: 2,
              maxItems: 2,
              items: { type: ['number', 'null'] },
            },
          ],
        },
        outlierFiltering: {
          oneOf: [
            methodOnly('none'),
            {
              type: 'object',
              additionalProperties: false,
              required: ['method', 'sigma'],
              properties: { method: { const: 'sigma' }, sigma: positive },
            },
          ],
        },
      },
    },
    discretisation: {
      type: 'object',
      additionalProperties: false,
      required: ['textureAndHistogram', 'intensityVolumeHistogram'],
      properties: {
        textureAndHistogram: discretisation,
        intensityVolumeHistogram: discretisation,
      },
    },
    texture: {
      type: 'object',
      additionalProperties: false,
      required: [
        'aggregation',
        'glcmDistance',
        'glcmSymmetric',
        'ngtdmDistance',
        'ngldmDistance',
        'ngldmCoarseness',
        'zoneLinkageDistance',
      ],
      properties: {
        aggregation: {
          type: 'array',
          uniqueItems: true,
          items: {
            enum: [
              '2D-averaged',
              '2D-slice-merged',
              '2.5D-direction-merged',
              '2.5D-merged',
              '3D-averaged',
              '3D-merged',
            ],
          },
        },
        glcmDistance: positiveInt,
        glcmSymmetric: { type: 'boolean' },
        ngtdmDistance: positiveInt,
        ngldmDistance: positiveInt,
        ngldmCoarseness: { type: 'integer', minimum: 0 },
        zoneLinkageDistance: positiveInt,
      },
    },
    morphology: {
      type: 'object',
      additionalProperties: false,
      required: ['spatialAutocorrelationMaxVoxels'],
      properties: {
        spatialAutocorrelationMaxVoxels: {
          description:
            "Moran's I and Geary's C: null = exact over every voxel pair; a number = at most this many voxels (an evenly strided subset above it), RadLedger's earlier method kept for recorded feature sets.",
          type: ['integer', 'null'],
          minimum: 1,
        },
      },
    },
    families: {
      type: 'array',
      uniqueItems: true,
      items: {
        enum: [...ALL_FEATURE_FAMILIES],
      },
    },
    compatibility: {
      oneOf: [
        methodOnlyNamed('mode', 'ibsi'),
        {
          type: 'object',
          additionalProperties: false,
          required: ['mode', 'voxelArrayShift'],
          properties: { mode: { const: 'pyradiomics' }, voxelArrayShift: { type: 'number' } },
        },
      ],
    },
  },
} as const;
